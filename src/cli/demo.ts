/**
 * `cos-presign demo`: the first success without an account. A real SigV4-checking S3 server
 * (@20minutes/s3rver, a dev dependency) on 127.0.0.1 in a temporary directory; everything it
 * shows is a real request answered by that server. It leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyUrl } from '../core/inspect';
import { presign } from '../core/presign';
import type { PresignInput } from '../core/types';
import { DEMO_HELP } from './help';
import { request, RawResponse, s3ErrorCode } from './http';
import { Io } from './io';
import { parseCommandLine, UsageError } from './options';

const BUCKET = 'demo-bucket';
const KEY = 'demo/hello world.txt';
const CONTENT_TYPE = 'text/plain; charset=utf-8';
/** s3rver's built-in account; public, so the demo may print its URLs. */
const DUMMY = { secretId: 'S3RVER', secretKey: 'S3RVER' };

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

function loadS3rver(): S3rverClass {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional dev dependency, loaded only when the demo runs
    return require('@20minutes/s3rver') as S3rverClass;
  } catch (e) {
    if (
      (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((e as Error).message).includes('@20minutes/s3rver')
    ) {
      throw new Error(
        'the demo needs the dev dependency @20minutes/s3rver, which is not installed (npm skips dev dependencies outside a clone). ' +
          'Run it from a clone: git clone <repo> && cd cos-presign && npm ci && npm run demo; or add it here: npm install --no-save @20minutes/s3rver@5.0.0',
      );
    }
    throw e;
  }
}

function expectStatus(res: RawResponse, want: number, what: string): void {
  if (res.status !== want) {
    const code = s3ErrorCode(res.body);
    throw new Error(`${what}: expected HTTP ${want}, got ${res.status}${code ? ` ${code}` : ''}; the demo stopped`);
  }
}

function answer(res: RawResponse): string {
  const code = s3ErrorCode(res.body);
  return `HTTP ${res.status}${code ? ` ${code}` : ''}`;
}

export async function demoCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) return (io.out(DEMO_HELP), 0);
  if (positionals.length) throw new UsageError('', 'demo takes no arguments');
  const S3rver = loadS3rver();
  const t0 = Date.now();
  const out = (s: string): void => io.out(s + '\n');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-demo-'));
  let server: S3rverInstance | undefined;
  const cleanup = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C mid-demo still stops the server and removes the directory.
  const onSignal = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    out('cos-presign demo: presigned upload and download against a local S3 server (no account needed)\n');
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: dir,
      silent: true,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    out(`1. Started @20minutes/s3rver, which checks SigV4 signatures, at ${endpoint}`);
    out(`   data in ${dir}; bucket "${BUCKET}"; its public dummy credentials ${DUMMY.secretId}/${DUMMY.secretKey}\n`);

    const base: PresignInput = { provider: 's3', ...DUMMY, bucket: BUCKET, endpoint, key: KEY };
    const body = Buffer.from(`Hello from cos-presign, ${new Date(t0).toISOString()}.\n`, 'utf8');

    const put = presign({ ...base, method: 'PUT', expires: 300, headers: { 'Content-Type': CONTENT_TYPE } });
    out(`2. Presigned a PUT for "${KEY}", valid 5 minutes, Content-Type pinned to "${CONTENT_TYPE}":`);
    out(`   ${put.url}`);
    const up = await request(put.url, { method: 'PUT', headers: put.headers, body });
    expectStatus(up, 200, 'upload through the presigned PUT URL');
    out(
      `   uploaded ${body.length} bytes with the headers it requires (${Object.entries(put.headers)
        .map(([n, v]) => `${n}: ${v}`)
        .join(', ')}) -> ${answer(up)}\n`,
    );

    const wrongType = await request(put.url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body });
    expectStatus(wrongType, 403, 'the same PUT URL with another Content-Type');
    out(`3. The same PUT URL with Content-Type: text/html -> ${answer(wrongType)} (the content type is signed)\n`);

    const get = presign({ ...base, method: 'GET', expires: 300 });
    out('4. Presigned a GET, valid 5 minutes:');
    out(`   ${get.url}`);
    const down = await request(get.url);
    expectStatus(down, 200, 'download through the presigned GET URL');
    if (!down.body.equals(body))
      throw new Error('the downloaded bytes differ from the uploaded ones; the demo stopped');
    out(
      `   downloaded ${down.body.length} bytes -> ${answer(down)}, identical to what was uploaded (Content-Type: ${down.headers['content-type']})\n`,
    );

    const tampered = get.url + '&response-content-type=text%2Fhtml';
    const t = await request(tampered);
    expectStatus(t, 403, 'the tampered GET URL');
    out('5. Tampered: the GET URL with &response-content-type=text%2Fhtml appended');
    out(`   -> ${answer(t)}`);
    out(
      `   cos-presign inspect says: ${verifyUrl(tampered, { secretKey: DUMMY.secretKey })
        .reasons.map((r) => r.message)
        .join('; ')}\n`,
    );

    // The core refuses to sign a window that is already over, so sign as of an hour ago.
    const anHourAgo = Date.now() - 3600_000;
    const expired = presign({ ...base, method: 'GET', expires: 60 }, { now: () => anHourAgo });
    const x = await request(expired.url);
    expectStatus(x, 403, 'the expired GET URL');
    out('6. Expired: a GET URL signed an hour ago for 60 seconds');
    out(`   ${expired.url}`);
    out(`   -> ${answer(x)}`);
    out(
      `   cos-presign inspect says: ${verifyUrl(expired.url, { secretKey: DUMMY.secretKey })
        .reasons.map((r) => r.message)
        .join('; ')}\n`,
    );

    await cleanup();
    out(`7. Stopped the server and removed ${dir}\n`);
    out(
      `Done in ${((Date.now() - t0) / 1000).toFixed(1)} s. For your own bucket: cos-presign url --help; for a URL that gets 403: cos-presign inspect --help`,
    );
    return 0;
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

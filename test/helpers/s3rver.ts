/**
 * A SigV4-verifying S3 server (@20minutes/s3rver; plain s3rver does not check signatures) on
 * 127.0.0.1 with a throw-away directory, and a raw HTTP client that sends the URL's path
 * byte-for-byte (fetch and WHATWG URL would normalise it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request, RawResponse } from '../../src/cli/http';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const S3rver = require('@20minutes/s3rver');

export const S3RVER_CREDENTIALS = { secretId: 'S3RVER', secretKey: 'S3RVER' } as const;
export const S3RVER_BUCKET = 'test-bucket';

export interface RunningS3rver {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  directory: string;
  stop(): Promise<void>;
}

export async function startS3rver(buckets: string[] = [S3RVER_BUCKET]): Promise<RunningS3rver> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const addr = await server.run();
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    directory,
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export type { RawResponse };

/** Sends a request exactly as the URL spells it (path and query untouched): the CLI's raw client. */
export function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return request(url, { ...opts, body: typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body });
}

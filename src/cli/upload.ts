/**
 * `cos-presign upload <bucket> <path…>`: uploads files (directories walked) through requests the
 * core presigns one by one, verifies each stored object, checks the download links, and prints
 * them (or JSON). Credentials come from the environment, as for `url`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lookup as mimeLookup } from 'mime-types';
import { isPresignError } from '../core/errors';
import { presign } from '../core/presign';
import type { PresignInput } from '../core/types';
import { callContext, uploadFiles } from '../transfer/engine';
import { closeAgent } from '../transfer/http';
import { checkLinks } from '../transfer/links';
import { coreSigner, SignBase } from '../transfer/signer';
import { parseSize } from '../transfer/sizes';
import { TransferError, UploadItem, UploadOptions } from '../transfer/types';
import type { Io } from './io';
import { interruptible, stopping } from './interrupt';
import { ProgressOutput, progressMode, sizesOf } from './progress-output';
import { CREDENTIAL_OPTIONS, TARGET_OPTIONS } from './sign';
import {
  parseCommandLine,
  parseDuration,
  parseHeaders,
  parseParams,
  parseProvider,
  parseTime,
  presignErrorToUsage,
  resolveCredentials,
  UsageError,
} from './options';

export const UPLOAD_HELP = `Usage: cos-presign upload <bucket> <path>... [options]

Uploads files (directories are walked) through presigned requests, verifies each stored object
(COS/TOS CRC-64, S3 MD5), checks every download link with a 1-byte GET, then prints the links
(presigned GET URLs), one per line in key order. Progress goes to stderr; never a URL or secret.

Options:
      --prefix <text>           prepended to every key (e.g. releases/v1.2.0/)
      --base-dir <dir>          keys are paths relative to it (default: the current directory);
                                a file outside it is refused
      --concurrency <n>         requests in flight (default 4)
      --retries <n>             retries per request (default 5)
      --part-size <size>        multipart part size (default 16MiB; raised to the provider minimum
                                and to fit 10,000 parts)
      --multipart-threshold <size>
                                files above it go multipart (default 100MiB)
  -e, --expires <duration>      lifetime of the links (default 1h)
      --skip-unchanged          HEAD first; do not send a file the bucket already holds (same size
                                and checksum)
      --no-verify-links         do not fetch each link once
      --json                    {urls, uploaded, expiresAt} instead of the links
      --no-progress             no progress bar: the plain lines a log gets (the bar is drawn
                                only when stderr is a terminal and TERM is not dumb)
  -q, --quiet                   no progress at all; warnings and errors only
  -H, --header 'Name: value'    sent with, and signed into, every upload (Cache-Control,
                                x-cos-meta-…); Content-Type is guessed per file unless given
      --param name=value        carried in the links (e.g. response-content-disposition=attachment)
  -p, --provider, -r, --region, --domain, --accelerate, --endpoint, --custom-domain, --path-style,
      --scheme, --secret-id, --secret-key, --security-token, --credential-expires-at
                                as for "cos-presign url" (see cos-presign url --help)

Exit code: 0 all stored and linked; 1 a file failed (the message names it, and the keys already
stored: run again with --skip-unchanged to finish); 2 usage error.
`;

const OPTIONS = {
  prefix: { type: 'string' },
  'base-dir': { type: 'string' },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  expires: { type: 'string', short: 'e' },
  'skip-unchanged': { type: 'boolean' },
  'no-verify-links': { type: 'boolean' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  header: { type: 'string', short: 'H', multiple: true },
  param: { type: 'string', multiple: true },
  ...TARGET_OPTIONS,
  ...CREDENTIAL_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

function count(v: string | undefined, option: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^\d{1,4}$/.test(v) || Number(v) < min)
    throw new UsageError(option, `${JSON.stringify(v)} is not a whole number of at least ${min}`);
  return Number(v);
}

export function size(v: string | undefined, option: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = parseSize(v);
  if (n === undefined || n <= 0)
    throw new UsageError(
      option,
      `${JSON.stringify(v)} is not a size; use e.g. 16MiB, 100MB, 1GiB (B, KiB, MiB, GiB, KB, MB, GB)`,
    );
  return n;
}

/** Files under each path (directories walked, sorted), as absolute paths. */
function collect(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError('<path>', `${JSON.stringify(p)} does not exist`);
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (st.isFile()) out.push(path.resolve(p));
  };
  paths.forEach(walk);
  return [...new Set(out)];
}

/** Keys relative to base-dir, `/`-separated; a file outside it is refused. */
export function keysFor(files: string[], baseDir: string, prefix: string): Array<{ file: string; key: string }> {
  const base = path.resolve(baseDir);
  return files
    .map((file) => {
      const rel = path.relative(base, file);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new UsageError(
          '--base-dir',
          `${JSON.stringify(file)} is outside the base directory ${base}; keys are paths relative to it, so give a --base-dir that contains every file`,
        );
      }
      return { file, key: prefix + rel.split(path.sep).join('/') };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Content-Type from the file name unless the caller gave one. */
export function withType(headers: Record<string, string>, file: string): Record<string, string> {
  if (Object.keys(headers).some((n) => n.toLowerCase() === 'content-type')) return headers;
  return { 'Content-Type': mimeLookup(file) || 'application/octet-stream', ...headers };
}

export async function uploadCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandLine(args, OPTIONS);
  if (v.help) return (io.out(UPLOAD_HELP), 0);
  if (positionals.length < 2) throw new UsageError('', 'upload takes <bucket> and at least one <path>; see --help');
  const [bucket, ...paths] = positionals;
  const provider = parseProvider(v.provider);
  if (v.scheme !== undefined && v.scheme !== 'https' && v.scheme !== 'http')
    throw new UsageError('--scheme', `${JSON.stringify(v.scheme)} is not https or http`);
  const headers = parseHeaders(v.header);
  for (const n of Object.keys(headers))
    if (/^content-(length|md5)$/i.test(n))
      throw new UsageError('--header', `${n} is computed from each file; remove it`);
  const expires = v.expires !== undefined ? parseDuration(v.expires, '--expires') : 3600;
  const creds = resolveCredentials(v, io.env, provider, io.warn);
  const base: SignBase = {
    provider,
    bucket,
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    ...(creds.securityToken !== undefined ? { securityToken: creds.securityToken } : {}),
    ...(v.region !== undefined ? { region: v.region } : {}),
    ...(v.domain !== undefined ? { domain: v.domain } : {}),
    ...(v.accelerate ? { accelerate: true } : {}),
    ...(v.endpoint !== undefined ? { endpoint: v.endpoint } : {}),
    ...(v['custom-domain'] ? { isCustomDomain: true } : {}),
    ...(v['path-style'] ? { forcePathStyle: true } : {}),
    ...(v.scheme !== undefined ? { scheme: v.scheme as 'https' | 'http' } : {}),
    ...(v['credential-expires-at'] !== undefined
      ? { credentialExpiresAt: parseTime(v['credential-expires-at'], '--credential-expires-at') }
      : {}),
  };
  const params = parseParams(v.param);
  const targets = keysFor(collect(paths), v['base-dir'] ?? '.', v.prefix ?? '');
  if (targets.length === 0) throw new UsageError('<path>', 'no files found under the paths given');
  const items: UploadItem[] = targets.map((t) => ({
    file: t.file,
    name: path.relative(process.cwd(), t.file) || t.file,
    key: t.key,
    headers: withType(headers, t.file),
  }));
  // Sign every upload once up front: a bad key, header or option is refused before any byte moves.
  try {
    for (const it of items) presign({ ...base, key: it.key, method: 'PUT', headers: it.headers } as PresignInput);
  } catch (e) {
    throw isPresignError(e) ? presignErrorToUsage(e, creds) : e;
  }
  const options: UploadOptions = {
    provider,
    sign: coreSigner(base),
    concurrency: count(v.concurrency, '--concurrency', 4, 1),
    retries: count(v.retries, '--retries', 5, 0),
    partSize: size(v['part-size'], '--part-size', 16 * 1024 * 1024),
    multipartThreshold: size(v['multipart-threshold'], '--multipart-threshold', 100 * 1024 * 1024),
    skipUnchanged: !!v['skip-unchanged'],
  };
  const progress = new ProgressOutput({
    mode: progressMode(v, io.env, io.terminal),
    terminal: io.terminal,
    note: (l) => io.note(l),
    files: sizesOf(items),
  });
  options.log = progress.log;
  options.onProgress = progress.onProgress;
  try {
    const uploaded = await interruptible((signal) => progress.run(() => uploadFiles(items, { ...options, signal })), {
      onInterrupt: () => stopping(progress, io),
      onStopped: (e) => io.note(failureText(e)),
    });
    const links = uploaded.map((u) => {
      const r = presign({ ...base, key: u.key, method: 'GET', expires, params } as PresignInput);
      return { key: u.key, url: r.url, expiresAt: r.expiresAt, size: u.size };
    });
    if (!v['no-verify-links']) {
      await checkLinks(callContext(options), links, options.concurrency);
      progress.log(`checked ${links.length} link${links.length === 1 ? '' : 's'} (GET bytes=0-0)`);
    }
    if (v.json) {
      const out = {
        urls: Object.fromEntries(links.map((l) => [l.key, l.url])),
        uploaded: Object.fromEntries(
          uploaded.map((u) => [
            u.key,
            {
              file: u.file,
              size: u.size,
              etag: u.etag,
              checksum: u.checksum,
              parts: u.parts,
              ...(u.skipped ? { skipped: true } : {}),
            },
          ]),
        ),
        expiresAt: links[0].expiresAt.toISOString(),
      };
      io.out(JSON.stringify(out, null, 2) + '\n');
    } else {
      io.out(links.map((l) => l.url).join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    throw e instanceof TransferError ? new Error(failureText(e)) : e;
  } finally {
    await closeAgent();
  }
}

/** A failed or interrupted run: the file and reason, and what is stored already. */
function failureText(e: unknown): string {
  if (!(e instanceof TransferError)) return e instanceof Error ? e.message : String(e);
  const stored = e.stored.length
    ? `; already stored: ${e.stored.join(', ')} (run again with --skip-unchanged to finish)`
    : '; nothing else was stored';
  return `${e.message}${stored}`;
}

/**
 * `cos-presign put`: the consumer side, with no credentials. Uploads files through URLs presigned
 * elsewhere (the action's `requests` output or `requests-file`, or one URL), with the engine's
 * retries and checks: the file must be the one the URL pins (Content-Length, Content-MD5), and
 * the stored object's checksum is compared as for `upload`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectUrl } from '../core/inspect';
import type { Provider } from '../core/types';
import { uploadFiles } from '../transfer/engine';
import { closeAgent } from '../transfer/http';
import { PremadeRequest, premadeSigner } from '../transfer/signer';
import { SignFn, TransferError, UploadItem } from '../transfer/types';
import type { Io } from './io';
import { parseCommandLine, parseHeaders, UsageError } from './options';

export const PUT_HELP = `Usage: cos-presign put <requests.json> [options]
       cos-presign put <url> <file> [-H 'Name: value']... [options]

Uploads files through presigned PUT URLs made elsewhere; needs no credentials. <requests.json> is
the action's "requests" output (or the file named by "requests-file"): an object of
key -> {url, method, headers, file}. Each entry's file is sent with its headers, with retries,
and checked: the file must be the one the URL was signed for (its Content-Length/Content-MD5),
and the stored object's CRC-64 (COS, TOS) or ETag (S3) must match the file.

Options:
      --base-dir <dir>          where the entries' "file" paths are (default: current directory)
  -H, --header 'Name: value'    with <url> <file>: a header the URL pins (repeatable)
      --concurrency <n>         uploads in flight (default 4)
      --retries <n>             retries per request (default 5)
      --json                    print {key: {file, size, etag, checksum}} when done

Exit code: 0 all stored; 1 an upload failed (the message names the key); 2 usage error.
`;

const OPTIONS = {
  'base-dir': { type: 'string' }, header: { type: 'string', short: 'H', multiple: true }, concurrency: { type: 'string' },
  retries: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

interface Entry {
  key: string;
  file: string;
  request: PremadeRequest;
  provider: Provider;
}

function toEntry(key: string, r: unknown, baseDir: string): Entry {
  const o = r as { url?: unknown; method?: unknown; headers?: unknown; file?: unknown };
  if (!o || typeof o !== 'object' || typeof o.url !== 'string') throw new UsageError('<requests.json>', `entry ${JSON.stringify(key)} has no "url"`);
  if (typeof o.file !== 'string' || o.file === '') {
    throw new UsageError('<requests.json>', `entry ${JSON.stringify(key)} has no "file"; requests made from files (the action's files input) name their file`);
  }
  const method = typeof o.method === 'string' ? o.method.toUpperCase() : 'PUT';
  if (method !== 'PUT') throw new UsageError('<requests.json>', `entry ${JSON.stringify(key)} is a ${method} URL; put uploads through PUT URLs (sign with method: PUT)`);
  const headers = (o.headers && typeof o.headers === 'object' ? o.headers : {}) as Record<string, string>;
  let provider: Provider = 's3';
  let expiresAt: Date | undefined;
  try {
    const info = inspectUrl(o.url);
    provider = info.provider;
    expiresAt = info.end;
  } catch {
    // Not a URL we can read (a proxy in front, say): sent as is, checked by ETag only.
  }
  return { key, file: path.resolve(baseDir, o.file), request: { url: o.url, method, headers, expiresAt }, provider };
}

function readRequests(file: string, baseDir: string): Entry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError('<requests.json>', `cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError('<requests.json>', `${JSON.stringify(file)} is not JSON; pass the action's requests output (key -> {url, method, headers, file})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UsageError('<requests.json>', 'must be an object of key -> {url, method, headers, file}');
  return Object.entries(json as Record<string, unknown>).map(([k, r]) => toEntry(k, r, baseDir));
}

/**
 * The URL pins the file: a Content-Length or Content-MD5 it signed that differs from the file's
 * means this is not the file it was signed for (refused before sending, not as a 403 later).
 */
function pinnedSigner(byKey: Map<string, PremadeRequest>): SignFn {
  const inner = premadeSigner(byKey);
  return async (method, key, req) => {
    const s = await inner(method, key, req);
    for (const [n, v] of Object.entries(s.headers)) {
      const mine = Object.entries(req.headers ?? {}).find(([m]) => m.toLowerCase() === n.toLowerCase())?.[1];
      if (/^content-(length|md5)$/i.test(n) && mine !== undefined && mine !== v) {
        throw new Error(`is not the file the URL was signed for: its ${n} is ${mine}, the URL pins ${v}; sign again for this file`);
      }
    }
    return s;
  };
}

function count(v: string | undefined, option: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^\d{1,4}$/.test(v) || Number(v) < min) throw new UsageError(option, `${JSON.stringify(v)} is not a whole number of at least ${min}`);
  return Number(v);
}

export async function putCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandLine(args, OPTIONS);
  if (v.help) return io.out(PUT_HELP), 0;
  const baseDir = v['base-dir'] ?? '.';
  let entries: Entry[];
  if (positionals.length === 1) {
    if (v.header) throw new UsageError('--header', 'goes with put <url> <file>; a requests file carries its headers');
    entries = readRequests(positionals[0], baseDir);
  } else if (positionals.length === 2) {
    const info = (() => { try { return inspectUrl(positionals[0]); } catch { return undefined; } })();
    const key = info?.key ?? path.basename(positionals[1]);
    entries = [toEntry(key, { url: positionals[0], method: 'PUT', headers: parseHeaders(v.header), file: positionals[1] }, baseDir)];
  } else {
    throw new UsageError('', 'put takes <requests.json>, or <url> <file>; see --help');
  }
  if (entries.length === 0) throw new UsageError('<requests.json>', 'holds no requests');
  const done: Record<string, unknown> = {};
  const stored: string[] = [];
  try {
    // One engine run per provider: the provider decides which checksum header is compared.
    for (const provider of [...new Set(entries.map((e) => e.provider))]) {
      const group = entries.filter((e) => e.provider === provider);
      const items: UploadItem[] = group.map((e) => ({ file: e.file, name: path.relative(process.cwd(), e.file) || e.file, key: e.key, headers: e.request.headers }));
      const res = await uploadFiles(items, {
        provider, sign: pinnedSigner(new Map(group.map((e) => [e.key, e.request]))), singlePutOnly: true,
        concurrency: count(v.concurrency, '--concurrency', 4, 1), retries: count(v.retries, '--retries', 5, 0), log: (l) => io.note(l),
      });
      for (const u of res) {
        done[u.key] = { file: u.file, size: u.size, etag: u.etag, checksum: u.checksum };
        stored.push(u.key);
      }
    }
  } catch (e) {
    if (e instanceof TransferError) {
      const all = [...stored, ...e.stored];
      throw new Error(`key ${JSON.stringify(e.key)}: ${e.message}${all.length ? `; already stored: ${all.join(', ')}` : ''}`);
    }
    throw e;
  } finally {
    await closeAgent();
  }
  if (v.json) io.out(JSON.stringify(done, null, 2) + '\n');
  return 0;
}

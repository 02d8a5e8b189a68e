/**
 * One object in one PUT: Content-Length and Content-MD5 signed in (the service checks the body),
 * the file streamed from disk and checked against its digests on the way, so a file that changed
 * after hashing fails before its last byte is sent and nothing of it is stored.
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { VerifiedBody } from './hashing';
import { call, CallContext, FatalError } from './request';
import type { Digests } from './types';
import { verifyStored } from './verify';

/** Files up to this size are read once into memory (one chunk); larger ones are streamed. */
export const SMALL_FILE = 1024 * 1024;

export interface SingleResult {
  etag: string;
  checksum: string;
}

function body(
  file: string,
  d: Digests,
  small: Buffer | undefined,
  onSent?: (bytes: number) => void,
): () => Buffer | Readable {
  if (small) return () => small;
  return () => {
    const check = new VerifiedBody(d);
    const source = createReadStream(file, { start: 0, end: Math.max(0, d.size - 1), highWaterMark: 1024 * 1024 });
    pipeline(source, check, () => undefined);
    if (onSent) {
      // A gauge per attempt: a retry starts again at 0, so no byte is counted twice.
      let read = 0;
      onSent(0);
      source.on('data', (c: Buffer | string) => onSent((read += c.length)));
    }
    return check;
  };
}

/**
 * Uploads `file` (already hashed into `d`) to `key`. `headers` are the caller's (Content-Type,
 * Cache-Control, x-*-meta-…); `small` is the file's content when it was read whole. `onSent`
 * hears how much of a streamed body the current attempt has read into its request.
 */
export async function putSingle(
  ctx: CallContext,
  file: string,
  key: string,
  d: Digests,
  headers: Record<string, string>,
  small?: Buffer,
  onSent?: (bytes: number) => void,
): Promise<SingleResult> {
  const sent = { ...headers, 'Content-Length': String(d.size), 'Content-MD5': d.md5 };
  const res = await call(ctx, {
    what: 'upload',
    method: 'PUT',
    key,
    sign: { headers: sent },
    headers: sent,
    body: d.size === 0 ? () => Buffer.alloc(0) : body(file, d, small, onSent),
  });
  const etag = res.headers.etag ?? '';
  const v = verifyStored(ctx.provider, res.headers, etag, { md5: d.md5, crc64: d.crc64 }, sent);
  if (!v.ok) throw new FatalError(v.reason);
  return { etag, checksum: v.checksum };
}

/** A file to upload as found on disk; `data` holds its content when it is small. */
export interface LocalFile {
  size: number;
  mtimeMs: number;
  data?: Buffer;
}

/**
 * Stats a file and, when it is at most SMALL_FILE, reads it whole, all synchronously: from the page
 * cache that takes microseconds, while the promise API's stat/open/read/close round trips cost more
 * CPU than hashing and sending a 64 KiB file (bench:upload, case b). O_NONBLOCK keeps a FIFO from
 * blocking the open; it is then refused as not a regular file. One byte more than the size is
 * asked for, so a file that grew since the stat is caught.
 */
export function openLocal(file: string): LocalFile {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new FatalError(`cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FatalError('is not a regular file');
    if (st.size > SMALL_FILE) return { size: st.size, mtimeMs: st.mtimeMs };
    const buf = Buffer.allocUnsafe(st.size + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    if (got !== st.size) throw new FatalError(`changed size while it was read (${st.size} -> ${got} bytes)`);
    return { size: st.size, mtimeMs: st.mtimeMs, data: buf.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}

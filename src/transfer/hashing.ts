/**
 * Digests computed while bytes stream from disk: MD5 (Content-MD5, S3 ETags) and
 * CRC-64/ECMA-182 (COS and TOS `x-*-hash-crc64ecma`). Files are read in chunks, never whole.
 */
import { createHash, Hash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { Transform, TransformCallback } from 'node:stream';
import { Crc64 } from './crc64';
import { md5Base64 } from '../core/hash';
import type { Digests } from './types';

/** MD5 and (when wanted) CRC-64 fed together. `md5: false` skips the MD5 (multipart COS/TOS, where the CRC-64 is the check). */
export class Digester {
  private readonly md5?: Hash;
  private readonly crc?: Crc64;
  size = 0;
  constructor(withCrc: boolean, withMd5 = true) {
    if (withCrc) this.crc = new Crc64();
    if (withMd5) this.md5 = createHash('md5');
  }
  update(buf: Buffer): void {
    this.md5?.update(buf);
    this.crc?.update(buf);
    this.size += buf.length;
  }
  digest(): Digests {
    return {
      size: this.size,
      md5: this.md5 ? this.md5.digest('base64') : '',
      ...(this.crc ? { crc64: this.crc.digest() } : {}),
    };
  }
}

/** Digests of a file's whole content held in memory (a small file). */
export function digestBuffer(buf: Buffer, withCrc: boolean): Digests {
  if (!withCrc) return { size: buf.length, md5: md5Base64(buf) };
  const crc = new Crc64();
  crc.update(buf);
  return { size: buf.length, md5: md5Base64(buf), crc64: crc.digest() };
}

/** Digests of a byte range of a file, streamed. */
export async function digestFile(path: string, withCrc: boolean, start = 0, end?: number): Promise<Digests> {
  const d = new Digester(withCrc);
  const stream = createReadStream(path, {
    start,
    ...(end !== undefined ? { end: end - 1 } : {}),
    highWaterMark: 1024 * 1024,
  });
  for await (const chunk of stream) d.update(chunk as Buffer);
  return d.digest();
}

/** Whole-file MD5 and the MD5 of each `partSize` slice, in one streamed pass (S3 skip-unchanged). */
export async function digestParts(path: string, partSize: number): Promise<{ md5: string; partMd5s: string[] }> {
  const whole = createHash('md5');
  const partMd5s: string[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    let c = chunk as Buffer;
    whole.update(c);
    while (c.length) {
      const take = Math.min(c.length, partSize - inPart);
      part.update(c.subarray(0, take));
      inPart += take;
      c = c.subarray(take);
      if (inPart === partSize) {
        partMd5s.push(part.digest('base64'));
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partMd5s.push(part.digest('base64'));
  return { md5: whole.digest('base64'), partMd5s };
}

/**
 * Reads `length` bytes at `offset` into one buffer (a part), `into` when given (a pooled part
 * buffer, at least `length` long). Fewer bytes means the file shrank.
 */
export async function readRange(path: string, offset: number, length: number, into?: Buffer): Promise<Buffer> {
  const fh = await fsp.open(path, 'r');
  try {
    const buf = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** Thrown by `VerifiedBody` when the bytes read differ from those hashed before. */
export class ChangedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChangedError';
  }
}

/**
 * Passes a file's bytes through while hashing them, and holds back the last chunk until the
 * digest is known: when the file no longer matches the size and MD5 signed into the request, the
 * stream fails before the last byte leaves, so the service never receives (or stores) the body.
 */
export class VerifiedBody extends Transform {
  private readonly md5 = createHash('md5');
  private held?: Buffer;
  private seen = 0;
  constructor(private readonly expected: Digests) {
    super();
  }
  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.md5.update(chunk);
    this.seen += chunk.length;
    if (this.seen > this.expected.size)
      return cb(new ChangedError(`grew after it was hashed (more than ${this.expected.size} bytes)`));
    const out = this.held;
    this.held = chunk;
    cb(null, out);
  }
  _flush(cb: TransformCallback): void {
    if (this.seen !== this.expected.size)
      return cb(new ChangedError(`changed size after it was hashed (${this.expected.size} -> ${this.seen} bytes)`));
    if (this.md5.digest('base64') !== this.expected.md5)
      return cb(new ChangedError('changed after it was hashed (its MD5 differs)'));
    cb(null, this.held);
  }
}

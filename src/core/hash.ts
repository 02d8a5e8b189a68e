/** The hash and HMAC primitives, on node:crypto only. */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

type OneShotHash = {
  (algorithm: string, data: string | Buffer, encoding: 'hex' | 'base64'): string;
  (algorithm: string, data: string | Buffer, encoding: 'buffer'): Buffer;
};
// crypto.hash (Node >= 20.12) skips the Hash object: several times faster for short inputs.
const oneShot: OneShotHash | undefined = (crypto as unknown as { hash?: OneShotHash }).hash;

export const sha1Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha1', data, 'hex')
  : (data) => createHash('sha1').update(data, 'utf8').digest('hex');

export const sha256Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => createHash('sha256').update(data, 'utf8').digest('hex');

/** Base64 MD5 of a whole body (Content-MD5). */
export const md5Base64: (data: Buffer) => string = oneShot
  ? (data) => oneShot('md5', data, 'base64')
  : (data) => createHash('md5').update(data).digest('base64');

const BLOCK_SIZE = 64; // SHA-1 and SHA-256
const DIGEST_SIZE = { sha1: 20, sha256: 32 } as const;

/**
 * One HMAC (RFC 2104) from two one-shot hashes: node's Hmac object (a stream) costs several times
 * more than hashing the few bytes of a SigV4 key-chain step or a COS KeyTime.
 */
function hmacOneShot(algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string): Buffer {
  const hash = oneShot!;
  let k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length > BLOCK_SIZE) k = hash(algorithm, k, 'buffer');
  const message = Buffer.from(data, 'utf8');
  const inner = Buffer.alloc(BLOCK_SIZE + message.length, 0x36); // inner pad, then the message
  const outer = Buffer.alloc(BLOCK_SIZE + DIGEST_SIZE[algorithm], 0x5c); // outer pad, then the inner digest
  for (let i = 0; i < k.length; i++) {
    inner[i] ^= k[i];
    outer[i] ^= k[i];
  }
  message.copy(inner, BLOCK_SIZE);
  hash(algorithm, inner, 'buffer').copy(outer, BLOCK_SIZE);
  return hash(algorithm, outer, 'buffer');
}

export function hmacSha1Hex(key: string, data: string): string {
  return oneShot
    ? hmacOneShot('sha1', key, data).toString('hex')
    : createHmac('sha1', key).update(data, 'utf8').digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return oneShot ? hmacOneShot('sha256', key, data) : createHmac('sha256', key).update(data, 'utf8').digest();
}

/** HMAC as lower-case hex, for a key used once (no pads to prepare). */
export function hmacOnce(algorithm: 'sha1' | 'sha256', key: string | Buffer): (data: string) => string {
  return oneShot
    ? (data) => hmacOneShot(algorithm, key, data).toString('hex')
    : (data) => createHmac(algorithm, key).update(data, 'utf8').digest('hex');
}

/**
 * HMAC (RFC 2104) of many messages under one key, as lower-case hex. The key's pads are prepared
 * once and each message then costs two one-shot hashes: creating node's Hmac object (a stream)
 * costs more than hashing a short string-to-sign, and a batch signs every URL with one key.
 */
export function hmacHexSigner(algorithm: 'sha1' | 'sha256', key: string | Buffer): (data: string) => string {
  const hash = oneShot;
  if (hash === undefined) return (data) => createHmac(algorithm, key).update(data, 'utf8').digest('hex');
  let k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length > BLOCK_SIZE) k = createHash(algorithm).update(k).digest();
  const innerPad = Buffer.alloc(BLOCK_SIZE, 0x36);
  const outer = Buffer.alloc(BLOCK_SIZE + DIGEST_SIZE[algorithm], 0x5c); // outer pad, then the inner digest
  for (let i = 0; i < k.length; i++) {
    innerPad[i] ^= k[i];
    outer[i] ^= k[i];
  }
  // An all-ASCII pad (e.g. a hex SignKey) can prefix the message as a string: UTF-8 keeps its bytes.
  const asciiPad = innerPad.every((b) => b < 0x80) ? innerPad.toString('latin1') : undefined;
  return (data) => {
    const inner = hash(
      algorithm,
      asciiPad !== undefined ? asciiPad + data : Buffer.concat([innerPad, Buffer.from(data, 'utf8')]),
      'buffer',
    );
    inner.copy(outer, BLOCK_SIZE);
    return hash(algorithm, outer, 'hex');
  };
}

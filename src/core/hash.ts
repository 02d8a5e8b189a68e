/** The hash and HMAC primitives, on node:crypto only. */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
// crypto.hash (Node >= 20.12) skips the Hash object: several times faster for short inputs.
const oneShot: OneShotHash | undefined = (crypto as unknown as { hash?: OneShotHash }).hash;

export const sha1Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha1', data, 'hex')
  : (data) => createHash('sha1').update(data, 'utf8').digest('hex');

export const sha256Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => createHash('sha256').update(data, 'utf8').digest('hex');

export function hmacSha1Hex(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function hmacSha256Hex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

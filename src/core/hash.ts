/** The hash and HMAC primitives, on node:crypto only. */
import { createHash, createHmac } from 'node:crypto';

export function sha1Hex(data: string): string {
  return createHash('sha1').update(data, 'utf8').digest('hex');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

export function hmacSha1Hex(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function hmacSha256Hex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/**
 * Signed headers the request does not give: the usual values worth trying, and what a value must
 * be when the URL cannot tell it. Also the wrong-method sentence, shared by both searches.
 */
import { UNSIGNED_PAYLOAD } from '../sigv4';
import { HttpMethod, METHODS } from '../types';
import type { VerifyReason } from './types';

/**
 * Media types of the files most often uploaded through presigned URLs, by extension: the values
 * worth trying for a signed Content-Type (the core depends on node:crypto only, not a MIME database).
 */
const USUAL_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  json: 'application/json',
  xml: 'application/xml',
  wasm: 'application/wasm',
  js: 'text/javascript',
  mjs: 'text/javascript',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
};

function mimeLookup(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? USUAL_TYPES[key.slice(dot + 1).toLowerCase()] : undefined;
}

export function wrongMethod(signed: HttpMethod, asked: HttpMethod): VerifyReason {
  const how =
    signed === 'PUT' ? ' (curl --upload-file)' : signed === 'HEAD' ? ' (curl --head)' : ` (curl -X ${signed})`;
  return {
    code: 'wrong-method',
    message: `the URL is signed for ${signed}, not ${asked}; send the request with ${signed}${how}, or presign a ${asked} URL`,
  };
}

/** What a signed header's value is, when the URL cannot tell it. */
export function headerHint(name: string, key: string): string {
  if (name === 'content-type') {
    const usual = mimeLookup(key);
    return `the media type the URL was signed with${usual ? ` (not ${usual}, the usual one for this key, nor application/octet-stream)` : ' (not application/octet-stream)'}; ask whoever presigned it`;
  }
  if (name === 'content-md5')
    return 'base64 of the MD5 of the exact body the URL was signed for (the uploader computes it); another body cannot be sent';
  if (name === 'content-length') return 'the size in bytes of the exact body the URL was signed for';
  return 'the value used when signing, which the URL does not show; ask whoever presigned it';
}

/** Values worth trying for a signed header whose value the request does not give. */
function usualValues(name: string, key: string): string[] {
  if (name === 'content-type')
    return [
      ...new Set([mimeLookup(key) || 'application/octet-stream', 'application/octet-stream', 'binary/octet-stream']),
    ];
  if (name === 'x-amz-content-sha256' || name === 'x-tos-content-sha256') return [UNSIGNED_PAYLOAD];
  return [];
}

/**
 * The usual values of the missing signed headers (every combination, a handful at most), with
 * the method asked first, then the others: the first that makes the signature match, if any.
 */
export function tryUsualValues(
  missing: string[],
  key: string,
  method: HttpMethod,
  matchesWith: (m: HttpMethod, values: Map<string, string>) => boolean,
): { method: HttpMethod; values: Map<string, string> } | undefined {
  let combos: Array<Map<string, string>> = [new Map()];
  for (const name of missing) {
    const values = usualValues(name, key);
    if (values.length === 0) return undefined;
    combos = combos.flatMap((c) => values.map((v) => new Map([...c, [name, v]])));
  }
  for (const m of [method, ...METHODS.filter((x) => x !== method)]) {
    for (const values of combos) if (matchesWith(m, values)) return { method: m, values };
  }
  return undefined;
}

/**
 * Uploads through URLs presigned elsewhere (the action's `requests` output): the consumer side,
 * with no credentials. Shared by `cos-presign put` and the action's `put-requests` input.
 * Errors are plain Errors; front ends say which input or argument they came from.
 */
import * as path from 'node:path';
import { inspectUrl } from '../core/inspect';
import type { Provider } from '../core/types';
import { uploadFiles } from './engine';
import { PremadeRequest, premadeSigner } from './signer';
import { LogFn, ProgressEvent, SignFn, TransferError, UploadedObject, UploadItem } from './types';

export interface PremadeEntry {
  key: string;
  /** Absolute path of the local file. */
  file: string;
  /** The file as the requests named it (for messages). */
  name: string;
  request: PremadeRequest;
  provider: Provider;
}

/** One entry of a requests object: key -> {url, method, headers, file}; `file` is resolved under baseDir. */
export function premadeEntry(key: string, r: unknown, baseDir: string): PremadeEntry {
  const o = r as { url?: unknown; method?: unknown; headers?: unknown; file?: unknown };
  if (!o || typeof o !== 'object' || typeof o.url !== 'string')
    throw new Error(`entry ${JSON.stringify(key)} has no "url"`);
  if (typeof o.file !== 'string' || o.file === '') {
    throw new Error(
      `entry ${JSON.stringify(key)} has no "file"; requests made from local files (the action's files input) name their file`,
    );
  }
  const method = typeof o.method === 'string' ? o.method.toUpperCase() : 'PUT';
  if (method !== 'PUT')
    throw new Error(`entry ${JSON.stringify(key)} is a ${method} URL; uploads need PUT URLs (sign with method: PUT)`);
  const headers: Record<string, string> = {};
  if (o.headers && typeof o.headers === 'object')
    for (const [n, v] of Object.entries(o.headers)) headers[n] = String(v);
  let provider: Provider = 's3';
  let expiresAt: Date | undefined;
  try {
    const info = inspectUrl(o.url);
    provider = info.provider;
    expiresAt = info.end;
  } catch {
    // Not a URL we can read (a proxy in front, say): sent as is, its ETag checked when it is an MD5.
  }
  return {
    key,
    file: path.resolve(baseDir, o.file),
    name: o.file,
    request: { url: o.url, method, headers, expiresAt },
    provider,
  };
}

/** All entries of a parsed requests object (the `requests` output / requests file). */
export function premadeEntries(json: unknown, baseDir: string): PremadeEntry[] {
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new Error('must be a JSON object of key -> {url, method, headers, file}');
  const entries = Object.entries(json as Record<string, unknown>).map(([k, r]) => premadeEntry(k, r, baseDir));
  if (entries.length === 0) throw new Error('holds no requests');
  return entries;
}

/**
 * The URL pins the file: a Content-Length or Content-MD5 it signed that differs from the file's
 * means this is not the file it was signed for (refused before sending, not as a 403 later).
 */
export function pinnedSigner(byKey: Map<string, PremadeRequest>): SignFn {
  const inner = premadeSigner(byKey);
  return async (method, key, req) => {
    const s = await inner(method, key, req);
    for (const [n, v] of Object.entries(s.headers)) {
      const mine = Object.entries(req.headers ?? {}).find(([m]) => m.toLowerCase() === n.toLowerCase())?.[1];
      if (/^content-(length|md5)$/i.test(n) && mine !== undefined && mine !== v) {
        throw new Error(
          `is not the file the URL was signed for: its ${n} is ${mine}, the URL pins ${v}; sign again for this file`,
        );
      }
    }
    return s;
  };
}

/**
 * Uploads every entry (one engine run per provider, which decides the checksum compared).
 * Rejects with a TransferError whose `stored` lists every key stored before the failure.
 */
export async function putPremade(
  entries: PremadeEntry[],
  o: {
    concurrency?: number;
    retries?: number;
    log?: LogFn;
    onProgress?: (e: ProgressEvent) => void;
    minRetryDelayMs?: number;
    signal?: AbortSignal;
  },
): Promise<UploadedObject[]> {
  const out: UploadedObject[] = [];
  for (const provider of [...new Set(entries.map((e) => e.provider))]) {
    const group = entries.filter((e) => e.provider === provider);
    const items: UploadItem[] = group.map((e) => ({
      file: e.file,
      name: e.name,
      key: e.key,
      headers: e.request.headers,
    }));
    try {
      out.push(
        ...(await uploadFiles(items, {
          ...o,
          provider,
          sign: pinnedSigner(new Map(group.map((e) => [e.key, e.request]))),
          singlePutOnly: true,
        })),
      );
    } catch (e) {
      if (e instanceof TransferError) e.stored = [...out.map((u) => u.key), ...e.stored];
      throw e;
    }
  }
  return out;
}

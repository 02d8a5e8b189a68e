/**
 * Sign functions for the engine. `coreSigner` presigns every request with the core just before
 * it is sent (credentialed front ends). `premadeSigner` hands out URLs made elsewhere (the
 * `requests` output of another job): one PUT per key, nothing else.
 */
import { createPresigner } from '../core/presign';
import type { HttpMethod, PresignInput, Presigner } from '../core/types';
import type { SignedUrl, SignFn, SignRequest } from './types';

/** Everything of a PresignInput but what the engine decides per request. */
export type SignBase = Omit<PresignInput, 'key' | 'method' | 'headers' | 'params' | 'expires' | 'startTime'>;

/** Upload requests are signed for a short time: each is used at once, and re-signed for a retry. */
export const REQUEST_EXPIRES = 900;

/**
 * A batch presigner is reused for this long, then made again: its window starts when it is made,
 * so every URL it signs still has at least REQUEST_EXPIRES minus this left. Making one per request
 * would re-derive the signing key for every file (most of the signing cost of a small file).
 */
const PRESIGNER_REUSE_MS = 60_000;

export function coreSigner(base: SignBase, now: () => number = Date.now): SignFn {
  let presigner: Presigner | undefined;
  let madeAt = 0;
  return (method: HttpMethod, key: string, req: SignRequest): SignedUrl => {
    const t = now();
    if (!presigner || t - madeAt >= PRESIGNER_REUSE_MS || t < madeAt) {
      presigner = createPresigner({ ...base, expires: REQUEST_EXPIRES }, { now });
      madeAt = t;
    }
    const r = presigner.presign(key, { method, headers: req.headers, params: req.params });
    return { url: r.url, method: r.method, headers: r.headers, expiresAt: r.expiresAt };
  };
}

/** A pre-made request: the shape of one entry of the action's `requests` output. */
export interface PremadeRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  expiresAt?: Date;
}

export function premadeSigner(byKey: Map<string, PremadeRequest>): SignFn {
  return (method: HttpMethod, key: string): SignedUrl => {
    const r = byKey.get(key);
    if (!r) throw new Error(`no pre-made URL for key ${JSON.stringify(key)}`);
    const m = (r.method ?? 'PUT').toUpperCase();
    if (m !== method) throw new Error(`the pre-made URL is for ${m}, but ${method} is needed; presign a ${method} URL`);
    return { url: r.url, method, headers: r.headers ?? {}, expiresAt: r.expiresAt };
  };
}

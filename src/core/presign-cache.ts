/**
 * The one cache of the signing core: batches that `presign(input)` resolved recently. A loop of
 * one-shot calls (same credentials, target and window, another key each time) would otherwise
 * re-validate the shared fields and re-derive the signing key and its HMAC pads on every call,
 * which costs several times the signing itself. `createPresigner` is the explicit, state-free
 * way to share that work; this cache gives the one-shot form most of the same speed.
 *
 * An entry is keyed by a SHA-256 digest of the fields a batch shares and of the clock's second,
 * never by the raw secret; a later call with the same digest gets the same batch that
 * `resolveBatch` would compute for it. Inputs whose fields cannot be read back reliably (proxies,
 * accessors, objects other than plain data and plain Dates) bypass the cache.
 */
import { types } from 'node:util';
import { sha256Hex } from './hash';
import type { Batch, SigningRequest } from './resolve/request';
import type { PresignInput } from './types';

/** Batches kept: a loop over a few buckets, providers or credentials still hits. */
export const PRESIGN_CACHE_SIZE = 16;

/**
 * Every field `resolveBatch` reads except the per-URL ones, i.e. everything that decides the
 * batch's credentials, target and window. A test records the fields resolveBatch reads, so a new
 * field cannot be forgotten here.
 */
export const SHARED_FIELDS = [
  'provider',
  'secretId',
  'secretKey',
  'securityToken',
  'scheme',
  'signHost',
  'keySimplifyCheck',
  'bucket',
  'region',
  'endpoint',
  'domain',
  'accelerate',
  'isCustomDomain',
  'forcePathStyle',
  'expires',
  'startTime',
  'credentialExpiresAt',
] as const satisfies ReadonlyArray<keyof PresignInput>;

/** Read again on every call (as `resolveKey`'s overrides are), so not part of the digest. */
export const PER_URL_FIELDS = ['method', 'headers', 'params', 'key'] as const satisfies ReadonlyArray<
  keyof PresignInput
>;

/** A cached batch and the URL signer prepared for it (signing key, HMAC pads). */
export interface CachedBatch {
  /** The batch with no method, headers or params given (GET, none, none), as most loops sign. */
  plain: Batch;
  sign: (r: SigningRequest) => string;
}

// The one exception to "no module-level mutable state in src/core/" (test/structure.test.ts
// allows this line and no other): a cache of one-shot calls can only live beside them, since
// `presign(input)` has no object to hold it. Bounded (PRESIGN_CACHE_SIZE, least recently used
// first out), keyed by digests, emptied by clearPresignCache().
const entries = new Map<string, CachedBatch>();

/** Empties the cache of `presign(input)` (e.g. after rotating credentials, or in tests). */
export function clearPresignCache(): void {
  entries.clear();
}

/** The digests held, least recently used first (for tests: they must not contain a secret). */
export function presignCacheKeys(): string[] {
  return [...entries.keys()];
}

/**
 * The input as this cache reads it: its own enumerable properties, each read once (as
 * `Object.assign` reads them), or undefined when that could differ from what `resolveBatch`
 * reads: a proxy, a prototype other than Object's (inherited fields), non-enumerable own
 * properties. The copy also has a shape V8 has seen before, which makes reading it cheap: an
 * input spread afresh per call (`{ ...base, key }`) often has a shape of its own every time.
 */
export function snapshot(input: unknown): PresignInput | undefined {
  if (input === null || typeof input !== 'object' || types.isProxy(input)) return undefined;
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const copy = Object.assign({}, input) as PresignInput;
  // Object.assign copies the enumerable own properties only: the counts differ when any is hidden.
  if (Reflect.ownKeys(copy).length !== Reflect.ownKeys(input).length) return undefined;
  return copy;
}

/**
 * The shared fields as one text, or undefined when a value cannot be told apart reliably from
 * another: anything but a string, a boolean, undefined, a finite number or a valid plain Date.
 * Each value is tagged by type and strings are length-prefixed, so no two inputs give one text.
 */
function sharedText(input: PresignInput): string | undefined {
  let text = '';
  for (const field of SHARED_FIELDS) {
    const v: unknown = input[field];
    switch (typeof v) {
      case 'string':
        text += `s${v.length}:${v}`;
        break;
      case 'undefined':
        text += 'u';
        break;
      case 'boolean':
        text += v ? 't' : 'f';
        break;
      case 'number':
        if (!Number.isFinite(v) || Object.is(v, -0)) return undefined;
        text += `n${v};`;
        break;
      case 'object': {
        // null bypasses. A Date is read through getTime(), as credentialExpiry reads it; a
        // subclass or a Date with own properties might answer differently the next time.
        const time = v instanceof Date && Object.getPrototypeOf(v) === Date.prototype ? v.getTime() : NaN;
        if (!Number.isFinite(time) || Reflect.ownKeys(v as object).length > 0) return undefined;
        text += `d${time};`;
        break;
      }
      default:
        return undefined; // bigint, symbol, function: resolveBatch refuses them, uncached
    }
  }
  return text;
}

/**
 * The cache key of the batch of `input` (a `snapshot`) at `nowSec`: a SHA-256 digest of the
 * shared fields and the second, or undefined when the input must bypass the cache.
 */
export function batchDigest(input: PresignInput, nowSec: number): string | undefined {
  if (!Number.isSafeInteger(nowSec)) return undefined;
  const text = sharedText(input);
  return text === undefined ? undefined : sha256Hex(`presign-batch-v1;${nowSec};${text}`);
}

/** The batch cached under `digest`, now the most recently used. */
export function cachedBatch(digest: string): CachedBatch | undefined {
  const hit = entries.get(digest);
  if (hit !== undefined && entries.size > 1) {
    entries.delete(digest);
    entries.set(digest, hit);
  }
  return hit;
}

/** Keeps `entry` under `digest`, dropping the least recently used entry when full. */
export function storeBatch(digest: string, entry: CachedBatch): void {
  entries.delete(digest);
  entries.set(digest, entry);
  while (entries.size > PRESIGN_CACHE_SIZE) entries.delete(entries.keys().next().value as string);
}

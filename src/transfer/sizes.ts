/** Byte sizes as people write them, and how a file is cut into parts. Pure. */
import type { Provider } from '../core/types';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Services take at most 10,000 parts per upload (COS, TOS, S3 alike). */
export const MAX_PARTS = 10000;
/** A single PUT (and a part) holds at most 5 GiB on all three. */
export const MAX_SINGLE_PUT = 5 * GiB;
export const MAX_PART_SIZE = 5 * GiB;

/** Smallest part but the last, per provider: S3 5 MiB, TOS 4 MiB, COS 1 MB. */
export const MIN_PART_SIZE: Record<Provider, number> = { s3: 5 * MiB, tos: 4 * MiB, cos: 1000 * 1000 };

export const DEFAULT_PART_SIZE = 16 * MiB;
export const DEFAULT_MULTIPART_THRESHOLD = 100 * MiB;

const UNITS: Record<string, number> = {
  b: 1,
  kib: KiB,
  mib: MiB,
  gib: GiB,
  kb: 1000,
  mb: 1000 * 1000,
  gb: 1000 * 1000 * 1000,
  k: KiB,
  m: MiB,
  g: GiB,
};

/** `16MiB`, `100 MB`, `5242880` -> bytes; undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = m[2] === '' ? 1 : UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** 16777216 -> `16 MiB` (for messages). */
export function formatSize(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= KiB) return `${+(n / KiB).toFixed(1)} KiB`;
  return `${n} B`;
}

export interface PartPlan {
  partSize: number;
  count: number;
}

/**
 * Part size for a file: the wanted size, raised to the provider's minimum and then (rounded up
 * to a whole MiB) so that the file fits in 10,000 parts.
 */
export function planParts(size: number, wanted: number, provider: Provider): PartPlan {
  let partSize = Math.max(wanted, MIN_PART_SIZE[provider]);
  if (Math.ceil(size / partSize) > MAX_PARTS) partSize = Math.ceil(size / MAX_PARTS / MiB) * MiB;
  if (partSize > MAX_PART_SIZE)
    throw new RangeError(`${formatSize(size)} does not fit in ${MAX_PARTS} parts of at most 5 GiB`);
  return { partSize, count: Math.max(1, Math.ceil(size / partSize)) };
}

/** Multipart above the threshold, and always above what one PUT may carry. */
export function useMultipart(size: number, threshold: number): boolean {
  return size > threshold || size > MAX_SINGLE_PUT;
}

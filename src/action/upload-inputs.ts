/**
 * The upload-mode inputs (`upload`, `base-dir`, `concurrency`, `retries`, `multipart-threshold`,
 * `part-size`, `skip-unchanged`, `verify-links`, `put-requests`). Pure: every refusal is an
 * InputError naming the input.
 */
import * as path from 'node:path';
import type { HttpMethod, Provider } from '../core/types';
import { formatSize, MIN_PART_SIZE, parseSize, useMultipart } from '../transfer/sizes';
import { bool, InputError, InputReader } from './inputs';

export interface UploadSettings {
  baseDir: string;
  concurrency: number;
  retries: number;
  multipartThreshold: number;
  partSize: number;
  skipUnchanged: boolean;
  verifyLinks: boolean;
}

function whole(r: InputReader, name: string, dflt: number, min: number, max: number): number {
  const raw = r.get(name);
  if (raw === '') return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new InputError(name, `must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function size(r: InputReader, name: string, dflt: string): number {
  const raw = r.get(name) || dflt;
  const n = parseSize(raw);
  if (n === undefined || n <= 0)
    throw new InputError(
      name,
      `${JSON.stringify(raw)} is not a size; use e.g. '16MiB', '100MB' or '1GiB' (units B, KiB, MiB, GiB, KB, MB, GB)`,
    );
  return n;
}

export function uploadSettings(r: InputReader, provider: Provider, workspace: string): UploadSettings {
  const partSize = size(r, 'part-size', '16MiB');
  const min = MIN_PART_SIZE[provider];
  if (partSize < min)
    throw new InputError(
      'part-size',
      `${formatSize(partSize)} is below the ${provider} minimum part size of ${formatSize(min)}; use at least that (default 16MiB)`,
    );
  const baseRaw = r.get('base-dir');
  return {
    baseDir: baseRaw ? path.resolve(workspace, baseRaw) : workspace,
    concurrency: whole(r, 'concurrency', 4, 1, 64),
    retries: whole(r, 'retries', 5, 0, 20),
    multipartThreshold: size(r, 'multipart-threshold', '100MiB'),
    partSize,
    skipUnchanged: bool(r, 'skip-unchanged', false),
    verifyLinks: bool(r, 'verify-links', true),
  };
}

/** A key relative to base-dir; a file outside it is refused naming base-dir. */
export function keyUnderBase(prefix: string, absolute: string, baseDir: string): string {
  const rel = path.relative(baseDir, absolute);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new InputError(
      'base-dir',
      `the matched file ${JSON.stringify(absolute)} is outside base-dir (${baseDir}); keys are paths relative to base-dir, so match only files inside it or change base-dir`,
    );
  }
  return prefix + rel.split(path.sep).join('/');
}

/** What `scope: objects` narrows upload mode's temporary credentials to. */
export interface UploadGrant {
  /** The final keys (key-prefix + path under base-dir), nothing else. */
  keys: string[];
  methods: HttpMethod[];
  /** Some file goes multipart: initiate, upload part, complete and abort (never list parts). */
  multipart: boolean;
}

/**
 * The least the engine needs for these files: PUT; GET for the links and their check; HEAD for
 * skip-unchanged and for reading a multipart object's checksum (granted always: the object is
 * readable through GET anyway, and on s3/tos HEAD is GetObject). The multipart operations only
 * when a file is above the threshold (the engine's own rule), so a run of small files cannot
 * leave billed parts behind.
 */
export function uploadGrant(files: ReadonlyArray<{ key: string; size: number }>, s: UploadSettings): UploadGrant {
  return {
    keys: files.map((f) => f.key),
    methods: ['PUT', 'HEAD', 'GET'],
    multipart: files.some((f) => useMultipart(f.size, s.multipartThreshold)),
  };
}

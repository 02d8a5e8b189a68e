/**
 * Types of the upload engine. The engine moves bytes; it never signs. Every request it makes
 * goes through a URL that a `SignFn` hands it just before the request is sent, so credentialed
 * front ends (the action, `cos-presign upload`) and credential-less ones (`cos-presign put` with
 * URLs made elsewhere) move bytes the same way.
 */
import type { HttpMethod, Provider } from '../core/types';

/** What the engine asks to have signed: method, object key, the headers it will send, query params. */
export interface SignRequest {
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

/** A URL to send one request to, and the headers that must go with it. */
export interface SignedUrl {
  url: string;
  method: HttpMethod;
  /** Headers the URL's signature pins; sent exactly as given. */
  headers: Record<string, string>;
  /** When the URL stops working; the engine re-signs (or fails) when it is near. */
  expiresAt?: Date;
}

/**
 * Signs one request. Called once per attempt, right before the request is sent. A credentialed
 * signer presigns with the core; a consumer of pre-made URLs returns the URL it was given.
 */
export type SignFn = (method: HttpMethod, key: string, request: SignRequest) => SignedUrl | Promise<SignedUrl>;

/** One local file to store under one key. */
export interface UploadItem {
  /** Absolute or cwd-relative path of the file. */
  file: string;
  /** How errors and logs name the file (default: `file`). */
  name?: string;
  key: string;
  /** Headers sent with, and signed into, the upload (Content-Type, Cache-Control, x-cos-meta-*…). */
  headers?: Record<string, string>;
}

/**
 * A line for a person reading along: never a URL, signature, secret or token. `kind` is
 * `'progress'` for the every-10-s-or-10-% lines of a large file (a progress bar may drop them).
 */
export type LogFn = (line: string, kind?: 'progress') => void;

/**
 * What the engine reports as files move, for a progress display: keys and byte counts only.
 * `bytes` is how much of the file is sent so far as best known: the confirmed parts of a
 * multipart upload, or what the current attempt of a single PUT has read into its request (it
 * starts again at 0 when the request is retried, so a retry never counts twice).
 */
export type ProgressEvent =
  | { type: 'start'; key: string; size: number }
  | { type: 'bytes'; key: string; bytes: number }
  | { type: 'done'; key: string; size: number; skipped: boolean };

export interface UploadOptions {
  provider: Provider;
  sign: SignFn;
  /** Requests in flight at once, over all files and parts. Default 4. */
  concurrency?: number;
  /** Retries per request after the first attempt. Default 5. */
  retries?: number;
  /** Files above this size go multipart. Default 100 MiB. */
  multipartThreshold?: number;
  /** Wanted part size; raised to the provider's minimum and so that no upload needs > 10,000 parts. Default 16 MiB. */
  partSize?: number;
  /** HEAD each key first and skip files whose size and checksum match the stored object. */
  skipUnchanged?: boolean;
  /** Only single PUTs (pre-made URLs cannot start a multipart upload). */
  singlePutOnly?: boolean;
  /** A request with no progress for this long is abandoned and retried. Default 120 s. */
  timeoutMs?: number;
  /** Base of the exponential backoff. Default 500 ms (tests use less). */
  minRetryDelayMs?: number;
  log?: LogFn;
  /** Called as files start, move bytes and finish (a progress bar); must not throw. */
  onProgress?: (e: ProgressEvent) => void;
  /** Test seam for the clock (unix ms). */
  now?: () => number;
  /**
   * Stops the run (Ctrl-C): no new file or part starts, requests in flight are cancelled, open
   * multipart uploads are aborted, and the run rejects with a TransferError saying it was interrupted.
   */
  signal?: AbortSignal;
}

/** What is known about one stored object after its upload (the action's `uploaded` output). */
export interface UploadedObject {
  key: string;
  file: string;
  size: number;
  etag: string;
  /** `crc64ecma:<decimal>` (COS, TOS) or `md5:<hex>` (S3). */
  checksum: string;
  /** 0 for a single PUT. */
  parts: number;
  /** True when skip-unchanged found it already stored. */
  skipped?: boolean;
}

/** Local digests of a file (or part) as read. */
export interface Digests {
  size: number;
  /** base64, as Content-MD5 wants it. */
  md5: string;
  /** CRC-64/ECMA-182 as a decimal string; undefined when not computed (S3). */
  crc64?: string;
}

/**
 * A failure of one file: names the file and the reason, never a URL or signature. `stored`
 * lists the keys already uploaded when the run stopped (a rerun with skip-unchanged finishes).
 */
export class TransferError extends Error {
  readonly file: string;
  readonly key: string;
  stored: string[] = [];
  constructor(file: string, key: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'TransferError';
    this.file = file;
    this.key = key;
  }
}

/**
 * One service request with retries: signed right before each attempt (a fresh URL, so a retry
 * late in a long upload never carries an expired one), retried with exponential backoff and
 * jitter on connection failures, timeouts, 429, 5xx and the services' throttling codes, and
 * refused at once (with the reason spelled out) on anything else, 403 included.
 */
import type { Readable } from 'node:stream';
import pRetry from 'p-retry';
import { formatDuration, inspectUrl } from '../core/inspect';
import type { HttpMethod, Provider } from '../core/types';
import { HttpResponse, NetworkError, send } from './http';
import { errorFields, explainRefusal, isRetryableAnswer, ServiceError } from './responses';
import type { LogFn, SignFn, SignRequest, SignedUrl } from './types';

export interface CallContext {
  provider: Provider;
  sign: SignFn;
  retries: number;
  timeoutMs: number;
  minRetryDelayMs: number;
  log: LogFn;
  now: () => number;
  /** Cancels requests in flight and retries still waiting; see UploadOptions.signal. */
  signal?: AbortSignal;
}

/** A failure that another attempt will not fix. */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly service?: ServiceError,
  ) {
    super(message);
    this.name = 'FatalError';
  }
}

/** A failure worth another attempt (a 200 whose body says InternalError, a bad answer). */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** The run was interrupted (UploadOptions.signal): never retried. */
export class InterruptedError extends FatalError {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** Rejects once `signal` fires; `dispose` drops the listener when the race is over. */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort = () => undefined as void;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined); // a race nobody awaits any more must not be an unhandled rejection
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** A URL closer than this to its expiry is signed again before use. */
const EXPIRY_MARGIN_MS = 60_000;

async function freshUrl(ctx: CallContext, method: HttpMethod, key: string, req: SignRequest): Promise<SignedUrl> {
  let signed = await ctx.sign(method, key, req);
  const left = () => (signed.expiresAt ? signed.expiresAt.getTime() - ctx.now() : Infinity);
  if (left() < EXPIRY_MARGIN_MS) signed = await ctx.sign(method, key, req);
  if (left() <= 0) {
    throw new FatalError(
      `the ${method} URL expired at ${signed.expiresAt!.toISOString()} before it could be used; presign it again with a longer lifetime`,
    );
  }
  return signed;
}

export interface CallSpec {
  /** For messages: `upload`, `part 3 of 7`, `complete`… */
  what: string;
  method: HttpMethod;
  key: string;
  sign: SignRequest;
  /** Headers sent besides the signed ones (Content-Length, and Content-MD5 where it is not signed). */
  headers?: Record<string, string>;
  /** A fresh body per attempt. */
  body?: () => Buffer | Readable;
  /** Statuses that are an answer rather than a failure (e.g. 404 for a HEAD). */
  accept?: (status: number) => boolean;
  /** Further checks of a 2xx answer; throw RetryableError or FatalError. */
  check?: (res: HttpResponse) => void;
}

/** What the core's inspect says about the URL's validity window, when that explains a 403. */
function urlWindow(url: string, now: number): string {
  try {
    const info = inspectUrl(url, { now: () => now });
    if (info.status === 'expired') return `; the URL expired ${formatDuration(-info.secondsLeft)} before it was used`;
    if (info.status === 'not-yet-valid')
      return `; the URL is not valid for another ${formatDuration(info.secondsToStart)} (clock skew between signer and service)`;
  } catch {
    // Not a URL the core can read: nothing to add.
  }
  return '';
}

function retryable(e: unknown): boolean {
  return e instanceof NetworkError || e instanceof RetryableError;
}

/** Sends one request (retrying as above) and returns the accepted answer. */
export async function call(ctx: CallContext, spec: CallSpec): Promise<HttpResponse> {
  const attempt = async (): Promise<HttpResponse> => {
    try {
      if (ctx.signal?.aborted) throw new InterruptedError();
      const signed = await freshUrl(ctx, spec.method, spec.key, spec.sign);
      const res = await send({
        url: signed.url,
        method: spec.method,
        headers: { ...spec.headers, ...signed.headers },
        body: spec.body?.(),
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
      });
      const ok = (res.status >= 200 && res.status < 300) || spec.accept?.(res.status);
      if (!ok) {
        const se = errorFields(res);
        if (isRetryableAnswer(se))
          throw new RetryableError(`${spec.what} got HTTP ${res.status}${se.code ? ` ${se.code}` : ''}`);
        throw new FatalError(
          explainRefusal(se, spec.what) + (res.status === 403 ? urlWindow(signed.url, ctx.now()) : ''),
          se,
        );
      }
      spec.check?.(res);
      return res;
    } catch (e) {
      if (ctx.signal?.aborted) throw new pRetry.AbortError(new InterruptedError());
      if (retryable(e)) throw e;
      throw new pRetry.AbortError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  // p-retry 4 takes no signal: the race ends a wait between attempts at once on Ctrl-C.
  const interrupted = whenAborted(ctx.signal);
  try {
    const retried = pRetry(attempt, {
      retries: ctx.retries,
      factor: 2,
      minTimeout: ctx.minRetryDelayMs,
      maxTimeout: Math.max(ctx.minRetryDelayMs, 20_000),
      randomize: true,
      onFailedAttempt: (e) => {
        if (e.retriesLeft > 0)
          ctx.log(
            `retrying ${spec.what} of ${spec.key} (attempt ${e.attemptNumber + 1} of ${ctx.retries + 1}): ${e.message}`,
          );
      },
    });
    retried.catch(() => undefined); // settles after the race when interrupted
    return await Promise.race([retried, interrupted.promise]);
  } catch (e) {
    // p-retry wraps the original in AbortError's `originalError`; unwrap for the caller.
    const orig = (e as { originalError?: Error }).originalError ?? e;
    if (retryable(orig)) throw new FatalError(`${(orig as Error).message}; gave up after ${ctx.retries + 1} attempts`);
    throw orig;
  } finally {
    interrupted.dispose();
  }
}

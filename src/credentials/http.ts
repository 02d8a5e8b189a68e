/**
 * HTTP for the STS calls: one POST with a timeout, retried with backoff (p-retry) when the
 * failure is throttling, a 5xx or the network, never otherwise.
 */
import pRetry from 'p-retry';
import { request } from 'undici';
import { StsError } from './errors';

export interface RetryOptions {
  /** Further attempts after the first. Default 4. */
  retries?: number;
  /** First backoff in ms (doubling, randomised). Default 500. */
  minTimeout?: number;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** `https://host[:port]` from `host`, `https://host` or (loopback only) `http://127.0.0.1:port`. */
export function stsBaseUrl(endpoint: string, field = 'sts-endpoint'): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new StsError(
      field,
      `${JSON.stringify(endpoint)} is not a host name or https:// URL, e.g. sts.tencentcloudapi.com`,
    );
  }
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new StsError(
      field,
      `${JSON.stringify(endpoint)} must be a bare host or https://host[:port], without credentials, path or query`,
    );
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol === 'http:' && !loopback) {
    throw new StsError(
      field,
      `plain http is allowed only for a loopback endpoint (127.0.0.1, localhost); use https://${u.host}, for the answer carries a secret key`,
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new StsError(field, `${JSON.stringify(u.protocol)} is not https`);
  return u;
}

async function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  } catch (e) {
    const what = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw new StsError('sts-endpoint', `no answer from ${url.host} (${what}); check the endpoint and the network`, {
      code: 'network',
      retryable: true,
    });
  }
}

/**
 * POSTs (after `prepare`, re-run per attempt so signatures carry a fresh time) and hands the
 * answer to `parse`, which returns the result or throws an StsError; retryable ones are retried.
 */
export async function postWithRetry<T>(
  url: URL,
  prepare: () => { headers: Record<string, string>; body: string },
  parse: (a: HttpAnswer) => T,
  opts: RetryOptions = {},
): Promise<T> {
  return pRetry(
    async () => {
      const { headers, body } = prepare();
      try {
        return parse(await postOnce(url, headers, body, opts.timeoutMs ?? 15000));
      } catch (e) {
        if (e instanceof StsError && e.retryable) throw e;
        throw new pRetry.AbortError(e as Error);
      }
    },
    { retries: opts.retries ?? 4, minTimeout: opts.minTimeout ?? 500, factor: 2, randomize: true },
  );
}

/**
 * HTTP for the engine: undici with one keep-alive pool per origin, the URL's path and query
 * sent byte for byte (no re-encoding), and failures turned into messages without the URL.
 */
import type { Readable } from 'node:stream';
import { Agent, Dispatcher } from 'undici';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text (service answers are small XML/JSON documents). */
  text: string;
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer | Readable;
  /** No bytes sent or received for this long: the request is abandoned. */
  timeoutMs: number;
  /** Cancels the request (Ctrl-C). */
  signal?: AbortSignal;
}

/** A connection-level failure (reset, refused, timeout): always worth retrying. */
export class NetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

let shared: Agent | undefined;

/** The process-wide keep-alive pool (connections are reused across files and parts). */
export function agent(): Agent {
  shared ??= new Agent({ keepAliveTimeout: 10_000, connections: 64, pipelining: 1 });
  return shared;
}

/** Closes the pool so the process can exit (the CLI and the action call it at the end). */
export async function closeAgent(): Promise<void> {
  const a = shared;
  shared = undefined;
  if (a) await a.close();
}

const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/** An error text with any URL (which would carry a signature) cut out. */
export function withoutUrls(text: string): string {
  return text.replace(URL_RE, '<url>');
}

function split(url: string): { origin: string; path: string } {
  const m = /^(https?:\/\/[^/?#]+)(\/[^#]*)?$/i.exec(url);
  if (!m) throw new NetworkError('ERR_URL', 'the signer returned something that is not an http(s) URL');
  return { origin: m[1], path: m[2] || '/' };
}

const NETWORK_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer within the timeout',
  UND_ERR_BODY_TIMEOUT: 'the transfer stalled longer than the timeout',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
  UND_ERR_CLOSED: 'the connection was closed',
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the host name could not be resolved (temporary)',
  ENOTFOUND: 'the host name could not be resolved',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_ABORTED: 'the request was aborted',
};

function networkError(e: unknown): Error {
  const err = e as { code?: string; cause?: { code?: string }; message?: string; name?: string };
  // Errors the body stream raised (e.g. the file changed) pass through unchanged.
  if (err && err.name === 'ChangedError') return e as Error;
  const code = err?.code ?? err?.cause?.code ?? '';
  const known = NETWORK_CODES[code];
  if (known) return new NetworkError(code, `${known} (${code})`);
  if (code.startsWith('UND_ERR') || code.startsWith('E'))
    return new NetworkError(code || 'ERR', withoutUrls(err?.message ?? String(e)));
  return new Error(withoutUrls(err?.message ?? String(e)));
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(h))
    if (v !== undefined) out[n.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Sends one request and reads the whole (small) answer. */
export async function send(req: HttpRequest, dispatcher: Dispatcher = agent()): Promise<HttpResponse> {
  const { origin, path } = split(req.url);
  try {
    const res = await dispatcher.request({
      origin,
      path,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body ?? null,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: flatHeaders(res.headers), text };
  } catch (e) {
    throw networkError(e);
  } finally {
    if (req.body && typeof (req.body as Readable).destroy === 'function') (req.body as Readable).destroy();
  }
}

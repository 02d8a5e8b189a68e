/**
 * The text of a URL taken apart by index scanning: scheme, host, port, path, query pairs. No
 * regular expression runs over a whole URL (a backtracking one made hostile input quadratic).
 */
import { uriDecode } from '../encoding';
import { PresignError } from '../errors';
import type { Pairs } from '../types';
import type { BaseUrl } from './types';

/**
 * Longest URL `inspectUrl`/`verifyUrl` read (UTF-16 code units). A presigned URL is a few hundred
 * bytes to a few KB (an object key is at most 1-3 KB encoded, an STS session token 1-2 KB), and
 * servers and browsers refuse request lines far shorter than this (S3 8 KB, nginx 8 KB by
 * default, Chrome 2 MB but CDNs 16-64 KB). Anything longer is not a URL someone can use, and
 * reading it would only cost time.
 */
export const MAX_URL_LENGTH = 64 * 1024;

export function bad(message: string): never {
  throw new PresignError('url', message);
}

export function decode(s: string, plusIsSpace: boolean, what: string): string {
  try {
    return uriDecode(s, plusIsSpace);
  } catch {
    return bad(`${what} has malformed percent-encoding; copy the whole URL again`);
  }
}

/** Query pairs, decoded. `+` is a space, as servers form-decode the query (the COS Python SDK writes spaces as `+`). */
export function parseQuery(q: string): Pairs {
  const out: Pairs = [];
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq), true, 'a query parameter name');
    const value =
      eq < 0 ? '' : decode(part.slice(eq + 1), true, `the value of query parameter ${JSON.stringify(name)}`);
    out.push([name, value]);
  }
  return out;
}

/** The one value of a (case-insensitively named) auth parameter; absent or repeated is an error. */
export function single(query: Pairs, lowerName: string, required: boolean): string | undefined {
  const hits = query.filter(([n]) => n.toLowerCase() === lowerName);
  if (hits.length > 1) bad(`${hits[0][0]} appears ${hits.length} times; a presigned URL carries it once`);
  if (hits.length === 0) {
    if (required) bad(`has no ${lowerName} parameter; the URL was cut short or edited, copy the whole URL again`);
    return undefined;
  }
  return hits[0][1];
}

export function splitHost(host: string): { hostname: string; port?: string } {
  // Scanned by hand (no backtracking) so any host, however long, costs one pass.
  let hostname = host;
  let rest = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end > 1) {
      hostname = host.slice(0, end + 1);
      rest = host.slice(end + 1);
    } else hostname = '';
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      hostname = host.slice(0, colon);
      rest = host.slice(colon);
    }
  }
  if (hostname === '' || (rest !== '' && !/^:\d+$/.test(rest))) return bad(`host ${JSON.stringify(host)} is not valid`);
  return rest === '' ? { hostname } : { hostname, port: rest.slice(1) };
}

export function stripDefaultPort(host: string, scheme: string): string {
  const { hostname, port } = splitHost(host);
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80') ? hostname : host;
}

/**
 * Scheme, host, path and query of an http(s) URL, by index scanning: one pass whatever the input
 * (a regular expression over the whole URL backtracks on long hostile input). Undefined when it
 * is not an http(s) URL or holds whitespace.
 */
export function splitUrl(url: string): { base: BaseUrl; rawQuery: string } | undefined {
  const s = /^https?:\/\//i.exec(url);
  if (!s || /\s/.test(url)) return undefined;
  let rest = url.slice(s[0].length);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const beforeQuery = q < 0 ? rest : rest.slice(0, q);
  const slash = beforeQuery.indexOf('/');
  const host = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  if (host === '') return undefined;
  const path = slash < 0 ? '/' : beforeQuery.slice(slash);
  const scheme = s[0].slice(0, -3).toLowerCase() as 'https' | 'http';
  return { base: { scheme, host: host.toLowerCase(), path }, rawQuery: q < 0 ? '' : rest.slice(q + 1) };
}

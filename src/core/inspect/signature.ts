/**
 * The signature of a parsed URL recomputed for one variation of the request (method, host,
 * headers, parameters left out), with the signers' own canonicalisation; and the bounded search
 * for parameters added after signing.
 */
import { timingSafeEqual } from 'node:crypto';
import { cosSign } from '../cos';
import { uriEncode } from '../encoding';
import { canonicalHeaders, canonicalQuery, canonicalRequest, signingKey, sigV4Signature, stringToSign } from '../sigv4';
import { AUTH_PARAMS } from '../auth-params';
import type { Pairs } from '../types';
import type { Parsed } from './types';
import { decode } from './url';

export interface Scenario {
  method: string;
  host: string;
  /** Indexes into `Parsed.query` of parameters left out (the "added after signing" search). */
  drop?: ReadonlySet<number>;
  /** Lower-case name -> value, as sent. */
  headers: Map<string, string>;
}

function canonicalPath(rawPath: string): string {
  // Servers decode the path and encode it again (RFC 3986, "/" kept); an escaped "/" inside a
  // segment stays escaped.
  return rawPath
    .split('/')
    .map((seg) => uriEncode(decode(seg, false, 'the path')))
    .join('/');
}

function headerPairs(names: string[], s: Scenario): Pairs {
  return names.map((n): [string, string] => [n, n === 'host' ? s.host : s.headers.get(n)!]);
}

/**
 * The SigV4 canonical query of a URL, encoded and sorted once; a subset (some parameters left
 * out) is the same sorted rows minus theirs, so each variation costs one pass, not a sort.
 */
function canonicalQueryRows(p: Parsed): (drop?: ReadonlySet<number>) => string {
  const full = canonicalQuery(p.sigv4!.scheme, p.query);
  const rows = full === '' ? [] : full.split('&'); // encoded names and values hold no raw '&'
  return (drop) => {
    if (!drop || drop.size === 0) return full;
    const remove = new Map<string, number>();
    for (const i of drop) {
      const row = uriEncode(p.query[i][0]) + '=' + uriEncode(p.query[i][1]);
      remove.set(row, (remove.get(row) ?? 0) + 1);
    }
    return rows
      .filter((r) => {
        const n = remove.get(r);
        if (n === undefined || n === 0) return true;
        remove.set(r, n - 1);
        return false;
      })
      .join('&');
  };
}

/** What every variation shares, computed once: the canonical path (COS: the decoded one) and query rows. */
export interface Prepared {
  path: string;
  queryOf: (drop?: ReadonlySet<number>) => string;
}

export function prepare(p: Parsed): Prepared {
  if (p.cos) return { path: decode(p.rawPath, false, 'the path'), queryOf: () => '' };
  return { path: canonicalPath(p.rawPath), queryOf: canonicalQueryRows(p) };
}

export function computeSignature(p: Parsed, secretKey: string, s: Scenario, prep: Prepared): string {
  if (p.cos) {
    const listed = new Set(p.cos.paramList);
    const params = p.query.filter(
      ([n]) => !AUTH_PARAMS.cos.has(n.toLowerCase()) && listed.has(uriEncode(n).toLowerCase()),
    );
    return cosSign(secretKey, p.cos.keyTime, {
      method: s.method,
      httpUri: prep.path,
      params,
      headers: headerPairs(p.info.signedHeaders, s),
    }).signature;
  }
  const v = p.sigv4!;
  const { signedHeaders, block } = canonicalHeaders(v.scheme, headerPairs(p.info.signedHeaders, s));
  const canonical = canonicalRequest(s.method, prep.path, prep.queryOf(s.drop), block, signedHeaders);
  return sigV4Signature(
    signingKey(v.scheme, secretKey, v.scopeDate, v.region),
    stringToSign(v.scheme, v.timestamp, v.scope, canonical),
  );
}

export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How many single parameters the "added after signing" search tries from each end of the query. */
const ADDED_TRIES = 8;

/**
 * Names of the parameters whose removal makes the signature match, or [] when no tried removal
 * does. Every candidate costs a full canonical request, so the candidates are a fixed few (the
 * parameters written after the signature, which is where an appended one lands, and the last
 * ones of the query), then all of those after the signature together, then all non-auth
 * parameters together: the work stays linear in the URL's length however many parameters it has.
 */
export function addedParams(p: Parsed, matchesWithout: (drop: ReadonlySet<number>) => boolean): string[] {
  const callers: number[] = [];
  p.query.forEach(([n], i) => {
    if (!p.authNames.has(n.toLowerCase())) callers.push(i);
  });
  const after = callers.filter((i) => i >= p.afterSignature && p.afterSignature >= 0);
  const singles = [...new Set([...after.slice(0, ADDED_TRIES), ...callers.slice(-ADDED_TRIES)])];
  for (const i of singles) if (matchesWithout(new Set([i]))) return [p.query[i][0]];
  for (const group of [after, callers]) {
    if (group.length > 1 && matchesWithout(new Set(group))) return group.map((i) => p.query[i][0]);
  }
  return [];
}

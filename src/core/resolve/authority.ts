/**
 * Hosts as URLs carry them: parsing `host[:port]` / `scheme://host[:port]` inputs, canonical as
 * WHATWG URL writes them, and the checks every provider's host building shares. The providers'
 * own host rules are in ../cos/endpoint.ts and ../sigv4/endpoint.ts.
 */
import { PresignError } from '../errors';

export interface Endpoint {
  scheme: 'https' | 'http';
  /** Host as written in the URL (lower-case, with a port when one is needed). */
  host: string;
  /** Value of the signed `host` header: what the client will send. */
  signedHost: string;
  /** `/bucket` for path-style S3 URLs, otherwise empty. */
  pathPrefix: string;
}

export interface Authority {
  scheme?: 'https' | 'http';
  hostname: string;
  port?: string;
}

const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
export const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const AUTHORITY = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(\[[0-9A-Fa-f:.]+\]|[^/:?#@[\]]+)(?::(\d{1,5}))?\/?$/;

/**
 * The host as WHATWG URL serialises it, or undefined when URL refuses it. Clients (browsers,
 * fetch, undici) send that form: a host signed in any other spelling never verifies.
 */
function whatwgHostname(hostname: string): string | undefined {
  try {
    return new URL(`http://${hostname}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Parses `host[:port]` or `scheme://host[:port]`; refuses paths, queries, user info. The result
 * is canonical as WHATWG URL writes it: lower case, IPv6 compressed (`[0:0::1]` -> `[::1]`),
 * port without leading zeros (`:080` -> `:80`). Numeric IPv4 shorthands (`127.1`, `0x7f.0.0.1`,
 * `010.0.0.1`) are refused: tools disagree on what they mean (octal or decimal).
 */
export function parseAuthority(value: unknown, field: string): Authority {
  if (typeof value !== 'string' || value === '')
    throw new PresignError(field, 'must be a host name such as cdn.example.com, optionally with https:// and a port');
  const m = AUTHORITY.exec(value.trim() === value ? value : '');
  if (!m) {
    throw new PresignError(
      field,
      `${JSON.stringify(value)} is not a host[:port] or http(s)://host[:port]; remove any path, query, user name or spaces`,
    );
  }
  const [, rawScheme, rawHost, rawPort] = m;
  let scheme: 'https' | 'http' | undefined;
  if (rawScheme !== undefined) {
    const s = rawScheme.toLowerCase();
    if (s !== 'https' && s !== 'http')
      throw new PresignError(field, `scheme ${JSON.stringify(rawScheme)} is not supported; use https:// or http://`);
    scheme = s;
  }
  const written = rawHost.toLowerCase();
  if (!written.startsWith('[') && !HOSTNAME.test(written)) {
    throw new PresignError(field, `${JSON.stringify(rawHost)} is not a valid host name`);
  }
  const hostname = whatwgHostname(written);
  if (hostname === undefined) {
    throw new PresignError(
      field,
      written.startsWith('[')
        ? `${JSON.stringify(rawHost)} is not a valid IPv6 address`
        : /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/.test(written)
          ? `${JSON.stringify(rawHost)} is not a valid host name: its last label is a number, so URL parsers read it as an IPv4 address, and it is not one`
          : `${JSON.stringify(rawHost)} is not a valid host name`,
    );
  }
  if (hostname !== written && !written.startsWith('[')) {
    throw new PresignError(
      field,
      `${JSON.stringify(rawHost)} is a shorthand IPv4 address that clients rewrite to ${hostname}; write it as ${hostname}`,
    );
  }
  let port: string | undefined;
  if (rawPort !== undefined) {
    const n = Number(rawPort);
    if (n < 1 || n > 65535) throw new PresignError(field, `port ${rawPort} is out of range 1-65535`);
    port = String(n); // "080" is sent as 80
  }
  return { scheme, hostname, port };
}

/** True for an IPv4 or IPv6 literal (canonical form): it cannot take a bucket as a sub-domain. */
export function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || IPV4.test(hostname);
}

/**
 * Every URL host is checked against what WHATWG URL makes of it, so the host that is signed is the
 * host clients send. `field` is the input that decided the host.
 */
export function checkHost(scheme: 'https' | 'http', host: string, field: string): void {
  let parsed: string | undefined;
  try {
    parsed = new URL(`${scheme}://${host}/`).host;
  } catch {
    parsed = undefined;
  }
  if (parsed !== host) {
    throw new PresignError(
      field,
      `gives the host ${JSON.stringify(host)}, which URL parsers ${parsed === undefined ? 'refuse' : `rewrite to ${JSON.stringify(parsed)}`}; the URL could never verify`,
    );
  }
}

export function pickScheme(
  asked: 'https' | 'http' | undefined,
  fromEndpoint: 'https' | 'http' | undefined,
  field: string,
): 'https' | 'http' {
  if (asked && fromEndpoint && asked !== fromEndpoint) {
    throw new PresignError('scheme', `is "${asked}" but ${field} says "${fromEndpoint}://"; drop one of them`);
  }
  return asked ?? fromEndpoint ?? 'https';
}

export function withPort(
  hostname: string,
  port: string | undefined,
  scheme: 'https' | 'http',
  keepDefault: boolean,
): string {
  if (port === undefined) return hostname;
  const isDefault = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  return isDefault && !keepDefault ? hostname : `${hostname}:${port}`;
}

export function refuseUnused(field: string, value: unknown, providerName: string): void {
  if (value !== undefined && value !== false && value !== '') {
    throw new PresignError(field, `is not used by ${providerName}; remove it`);
  }
}

/**
 * Splits a URL without normalising it, with the query as a Map (decoded names and values), so
 * parameter names such as `constructor` or `__proto__` are ordinary entries. Duplicate names
 * throw: every signer here writes each parameter once.
 */
export interface UrlParts {
  scheme: string;
  host: string;
  path: string;
  query: Map<string, string>;
}

export function urlParts(url: string): UrlParts {
  const m = /^([a-z]+):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (!m) throw new Error(`not a URL: ${url}`);
  const query = new Map<string, string>();
  for (const part of (m[4] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (query.has(name)) throw new Error(`duplicate query parameter ${JSON.stringify(name)}`);
    query.set(name, eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)));
  }
  return { scheme: m[1], host: m[2], path: m[3], query };
}

/** The query without the named parameters. */
export function without(query: Map<string, string>, ...names: string[]): Map<string, string> {
  const out = new Map(query);
  for (const n of names) out.delete(n);
  return out;
}

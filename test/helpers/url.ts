/** Splits a URL string without normalising it (WHATWG URL would remove dot segments). */
export interface RawUrl {
  scheme: string;
  host: string;
  path: string;
  query: Record<string, string>;
  queryOrder: string[];
}

export function parseRawUrl(url: string): RawUrl {
  const m = /^([a-z]+):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (!m) throw new Error(`not a URL: ${url}`);
  // No prototype: a parameter may be called "constructor" or "toString".
  const query: Record<string, string> = Object.create(null);
  const queryOrder: string[] = [];
  for (const part of (m[4] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (Object.prototype.hasOwnProperty.call(query, name)) throw new Error(`duplicate query parameter ${name}`);
    query[name] = value;
    queryOrder.push(name);
  }
  return { scheme: m[1], host: m[2], path: m[3], query, queryOrder };
}

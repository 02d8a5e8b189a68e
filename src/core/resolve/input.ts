/**
 * Input checking shared by all signers. Every refusal is a PresignError naming the field and
 * the fix; nothing is signed until the whole input has passed.
 */
import { AUTH_PARAMS } from '../auth-params';
import { hasLoneSurrogate, trimOws, utf8Length } from '../encoding';
import { PresignError } from '../errors';
import { describeValue } from '../time';
import { HttpMethod, METHODS, Pairs, PresignInput, Provider, PROVIDERS } from '../types';

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values may hold HTAB and visible characters; any other control character (CR, LF, NUL…)
// would split or corrupt the request.
const HEADER_VALUE_CONTROL = /[\x00-\x08\x0A-\x1F\x7F]/;
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function provider(input: PresignInput): Provider {
  const p = input.provider ?? 'cos';
  if (!PROVIDERS.includes(p)) {
    throw new PresignError(
      'provider',
      `unknown provider ${JSON.stringify(String(p))}; use one of ${PROVIDERS.join(', ')}`,
    );
  }
  return p;
}

export function credential(
  value: unknown,
  field: 'secretId' | 'secretKey' | 'securityToken',
  optional = false,
): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (optional) return undefined;
    throw new PresignError(
      field,
      `is required; pass the ${field === 'secretId' ? 'access key id (SecretId)' : 'secret key'} of the credentials that may access the bucket`,
      'required',
    );
  }
  if (typeof value !== 'string') throw new PresignError(field, 'must be a string');
  // Describe the problem without echoing the value: these are secrets (or, for secretId, close to one).
  if (value.trim() !== value)
    throw new PresignError(
      field,
      'has leading or trailing whitespace; copy the credential again without spaces or newlines',
    );
  if (/[\x00-\x1F\x7F]/.test(value))
    throw new PresignError(field, 'contains a control character; copy the credential again');
  if (field !== 'securityToken' && /\s/.test(value))
    throw new PresignError(field, 'contains whitespace; copy the credential again');
  if (hasLoneSurrogate(value)) throw new PresignError(field, 'is not valid Unicode');
  return value;
}

export function method(value: unknown): HttpMethod {
  if (value === undefined) return 'GET';
  const m = typeof value === 'string' ? value.toUpperCase() : '';
  if (!METHODS.includes(m as HttpMethod)) {
    throw new PresignError(
      'method',
      `unsupported method ${JSON.stringify(String(value))}; use one of ${METHODS.join(', ')}`,
    );
  }
  return m as HttpMethod;
}

export function scheme(value: unknown): 'https' | 'http' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'https' && value !== 'http') {
    throw new PresignError('scheme', `unsupported scheme ${JSON.stringify(String(value))}; use "https" or "http"`);
  }
  return value;
}

export function region(value: unknown, required: boolean, hint: string): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw new PresignError('region', `is required; ${hint}`, 'required');
    return undefined;
  }
  if (typeof value !== 'string' || !REGION.test(value)) {
    throw new PresignError(
      'region',
      'must be lower-case letters, digits and hyphens (e.g. ap-guangzhou, cn-beijing, us-east-1)',
    );
  }
  return value;
}

/**
 * Name/value entries of `headers` / `params`: a plain object, a `Map`, a `Headers`, a
 * `URLSearchParams` or an array of `[name, value]` pairs. Anything else is refused: read as a
 * plain object, a `Map` or `Headers` would look empty and the URL would pin nothing.
 */
function entriesOf(value: unknown, field: string): Array<[string, unknown]> {
  if (value === undefined || value === null) return [];
  const shape = 'an object, a Map, Headers, URLSearchParams or an array of [name, value] pairs';
  if (typeof value !== 'object') throw new PresignError(field, `must be ${shape}, got ${describeValue(value)}`);
  const proto = Object.getPrototypeOf(value);
  const iterable = typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
  if ((proto === Object.prototype || proto === null) && !iterable)
    return Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  const tag = Object.prototype.toString.call(value);
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (['[object Map]', '[object Headers]', '[object URLSearchParams]'].includes(tag) && iterable) {
    list = Array.from(value as Iterable<unknown>);
  } else {
    throw new PresignError(field, `must be ${shape}, got ${describeValue(value)}`);
  }
  return list.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new PresignError(field, `entry ${i} is not a [name, value] pair with a string name; pass ${shape}`);
    }
    return [entry[0], entry[1]];
  });
}

function stringValue(v: unknown, field: string, name: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new PresignError(field, `value of ${JSON.stringify(name)} must be a string`);
}

function refuseCaseCollision(seen: Map<string, string>, name: string, field: string): void {
  const lower = name.toLowerCase();
  const other = seen.get(lower);
  if (other === name)
    throw new PresignError(field, `${JSON.stringify(name)} is given twice; keep one value`, 'conflict');
  if (other !== undefined) {
    throw new PresignError(
      field,
      `${JSON.stringify(other)} and ${JSON.stringify(name)} differ only by case and would be signed as one; keep one of them`,
      'conflict',
    );
  }
  seen.set(lower, name);
}

/**
 * Header entries as given (names keep their spelling). `trim`: SigV4 canonicalises values by
 * trimming, so S3 accepts and trims what COS and TOS (which sign values verbatim) must refuse.
 */
export function headers(value: unknown, trim: boolean): Pairs {
  const out: Pairs = [];
  const seen = new Map<string, string>();
  for (const [name, raw] of entriesOf(value, 'headers')) {
    if (!HTTP_TOKEN.test(name)) {
      throw new PresignError(
        'headers',
        `${JSON.stringify(name)} is not a valid HTTP header name; use letters, digits and - (e.g. Content-Type)`,
      );
    }
    // Not a real header, and assigning it to a plain object (as the returned headers are) is lost.
    if (name === '__proto__') throw new PresignError('headers', '"__proto__" is not a usable header name; remove it');
    refuseCaseCollision(seen, name, 'headers');
    let v = stringValue(raw, 'headers', name);
    if (HEADER_VALUE_CONTROL.test(v)) {
      throw new PresignError(
        'headers',
        `value of ${JSON.stringify(name)} contains CR, LF or another control character; header values must be a single line`,
      );
    }
    if (hasLoneSurrogate(v)) throw new PresignError('headers', `value of ${JSON.stringify(name)} is not valid Unicode`);
    if (trim && /[^\S \t]/.test(v)) {
      // SigV4 folds whitespace in header values, and its implementations disagree on anything
      // but spaces and tabs (botocore folds all Unicode whitespace, the v3 signer does not).
      throw new PresignError(
        'headers',
        `value of ${JSON.stringify(name)} contains non-ASCII whitespace (e.g. a no-break space), which S3 signers fold differently; use plain spaces`,
      );
    }
    if (v.trim() !== v) {
      if (!trim) {
        throw new PresignError(
          'headers',
          `value of ${JSON.stringify(name)} has leading or trailing whitespace, which HTTP clients strip before sending, so the signature would not match; remove it`,
        );
      }
      // What the client will send: only spaces and tabs are stripped from a header value.
      v = trimOws(v);
    }
    out.push([name, v]);
  }
  return out;
}

export function params(value: unknown, p: Provider): Pairs {
  const out: Pairs = [];
  const seen = new Map<string, string>();
  for (const [name, raw] of entriesOf(value, 'params')) {
    if (name === '') throw new PresignError('params', 'a parameter name is empty; remove it');
    if (hasLoneSurrogate(name)) throw new PresignError('params', 'a parameter name is not valid Unicode');
    if (AUTH_PARAMS[p].has(name.toLowerCase())) {
      throw new PresignError(
        'params',
        `${JSON.stringify(name)} is set by the signer itself and cannot be passed as a parameter${/token/i.test(name) ? '; pass the token as securityToken' : ''}`,
      );
    }
    refuseCaseCollision(seen, name, 'params');
    const v = stringValue(raw, 'params', name);
    if (hasLoneSurrogate(v)) throw new PresignError('params', `value of ${JSON.stringify(name)} is not valid Unicode`);
    // response-* parameters become response headers on the server: same rule as header values.
    if (/^response-/i.test(name) && HEADER_VALUE_CONTROL.test(v)) {
      throw new PresignError(
        'params',
        `value of ${JSON.stringify(name)} contains CR, LF or another control character; it becomes a response header, whose value must be a single line`,
      );
    }
    out.push([name, v]);
  }
  return out;
}

/** The key's text checks common to all providers. */
export function key(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new PresignError('key', 'is required; pass the object key, e.g. "releases/app-1.2.3.tar.gz"', 'required');
  }
  if (hasLoneSurrogate(value)) {
    throw new PresignError(
      'key',
      'contains a lone UTF-16 surrogate, which has no UTF-8 encoding; pass valid Unicode text',
    );
  }
  return value;
}

/** COS object key rules (436/13324): at most 850 UTF-8 bytes, no control characters. */
export function cosKeyRules(k: string): void {
  if (utf8Length(k) > 850)
    throw new PresignError('key', `is ${utf8Length(k)} bytes of UTF-8; COS object keys are at most 850 bytes`);
  if (/[\x00-\x1F\x7F]/.test(k))
    throw new PresignError(
      'key',
      'contains a control character (e.g. newline or tab), which COS object keys may not contain',
    );
}

export function s3KeyRules(k: string): void {
  if (utf8Length(k) > 1024)
    throw new PresignError('key', `is ${utf8Length(k)} bytes of UTF-8; S3 object keys are at most 1024 bytes`);
}

/** True when POSIX-style merging of `.`, `..` and `//` leaves nothing: the bucket root. */
export function simplifiesToRoot(k: string): boolean {
  // Fast path: without "..", nothing pops, so only "", "." and "/" could make up a root key.
  if (!k.includes('..')) return /^[/.]*$/.test(k) && k.split('/').every((seg) => seg === '' || seg === '.');
  const stack: string[] = [];
  for (const seg of k.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') stack.pop();
    else stack.push(seg);
  }
  return stack.length === 0;
}

export function refuseRootKey(k: string, check: boolean | undefined): void {
  if (check !== false && simplifiesToRoot(k)) {
    throw new PresignError(
      'key',
      `${JSON.stringify(k)} simplifies to "/", which addresses the bucket itself (list, create or delete bucket), not an object; pass an object key, or set keySimplifyCheck: false to sign a bucket-level request on purpose`,
      'unsafe',
    );
  }
}

/**
 * Browsers, fetch and curl remove `.` and `..` path segments before sending, so a URL path that
 * still holds one would reach the server as another path and fail (or address another object).
 */
export function refuseDotSegments(encodedPath: string): void {
  if (!encodedPath.includes('/.')) return;
  for (const seg of encodedPath.split('/')) {
    if (seg === '.' || seg === '..') {
      throw new PresignError(
        'key',
        'has a "." or ".." path segment, which HTTP clients remove before sending, so the URL could not work; rename the object',
        'unsafe',
      );
    }
  }
}

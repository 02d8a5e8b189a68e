/** fast-check generators for hostile presign input: keys, header and param maps, tokens, ids. */
import fc from 'fast-check';

/** Pieces keys, names and values are glued from: the characters that break URL builders. */
export const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 120, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }) },
  {
    weight: 28,
    arbitrary: fc.constantFrom(
      '%',
      '+',
      '?',
      '#',
      ';',
      '&',
      '=',
      ' ',
      ':',
      '@',
      '!',
      '*',
      "'",
      '(',
      ')',
      ',',
      '$',
      '[',
      ']',
      '\\',
      '~',
      '"',
      '<',
      '>',
      '{',
      '}',
      '|',
      '^',
      '`',
    ),
  },
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      '/',
      '//',
      './',
      '../',
      '.',
      '..',
      '/./',
      '/../',
      '.%2F',
      '%2F',
      '%20',
      '%25',
      '%2e',
      '%2E%2E',
      '%zz',
      '+%2B',
    ),
  },
  { weight: 12, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
  {
    weight: 10,
    arbitrary: fc.constantFrom(
      '😀',
      '中文',
      'ключ',
      'é',
      'e\u0301',
      '\u00a0',
      '\ufeff',
      '\u2028',
      '\uffff',
      '\u{10ffff}',
      '\uff01',
      '\u0085',
      '\u3000',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 0x20 }).map((c) => (c === 0x20 ? '\x7f' : String.fromCharCode(c))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);

const joined = (min: number, max: number) =>
  fc.array(piece, { minLength: min, maxLength: max, size: max > 50 ? 'max' : undefined }).map((a) => a.join(''));

/** Pieces with no control characters or lone surrogates, so long keys get signed too, not only refused. */
const cleanPiece: fc.Arbitrary<string> = piece.filter(
  (x) => !/[\x00-\x1f\x7f\ud800-\udfff]/.test(x) || /^(?:[\ud800-\udbff][\udc00-\udfff])+$/.test(x),
);

/** Cut to at most `max` UTF-8 bytes at a code point boundary (lone surrogates count 3, as Buffer does). */
export function capBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const cps = Array.from(s);
  while (cps.length > 1 && Buffer.byteLength(cps.join(''), 'utf8') > max)
    cps.splice(Math.max(1, cps.length - Math.ceil(cps.length / 8)));
  return cps.join('');
}

/** Object keys of 1 to 2,000 UTF-8 bytes; mostly short, some long, some that collapse to the bucket root. */
export const keyArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 12, arbitrary: joined(1, 24) },
    { weight: 1, arbitrary: joined(80, 500) },
    // long and signable: no "." / ".." segments either (those are refused for TOS and S3)
    {
      weight: 2,
      arbitrary: fc.array(cleanPiece, { minLength: 60, maxLength: 400, size: 'max' }).map((a) =>
        a
          .join('')
          .split('/')
          .map((g) => (g === '.' || g === '..' ? `${g}_` : g))
          .join('/'),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/',
        '.',
        '..',
        'a/..',
        '//',
        './',
        '/./..',
        'a/b/../..',
        '/a',
        '//a',
        'a/',
        'a//b',
        '?acl',
        '#',
        'a?b#c',
        '.hidden',
        '..a',
        'a..',
      ),
    },
  )
  .map((k) => capBytes(k, 2000));

const TCHAR = Array.from("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

export const headerNameArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'Content-Type',
      'content-type',
      'CONTENT-TYPE',
      'Cache-Control',
      'Content-Disposition',
      'Range',
      'If-Match',
      'Origin',
      'Expires',
      'x-cos-meta-a',
      'X-Cos-Meta-A',
      'x-cos-acl',
      'x-ci-x',
      'x-tos-meta-a',
      'X-Tos-Storage-Class',
      'x-amz-meta-a',
      'X-Amz-Meta-A',
      'x-amz-acl',
      'Date',
      'User-Agent',
      'X-Foo',
      'Authorization',
      '__proto__',
      'constructor',
      'toString',
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 }) },
  // mostly not HTTP tokens: spaces, colons, CR/LF, non-ASCII, empty
  { weight: 1, arbitrary: joined(0, 4) },
);

export const headerValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'text/plain',
      'attachment; filename="a b.txt"',
      '  padded  ',
      'a\tb',
      'a   b',
      'bytes=0-9',
      'max-age=60',
      '',
      'v=1&x=2',
    ),
  },
  { weight: 2, arbitrary: joined(0, 6) },
  { weight: 1, arbitrary: fc.constantFrom('a\r\nHost: evil.example.com', 'x\ny', 'x\rz', 'nul\0byte', 'del\x7f') },
);

/** Names a signer uses for its own auth parameters, in several spellings. */
export const AUTH_LIKE_PARAMS = [
  'q-signature',
  'Q-Sign-Time',
  'q-ak',
  'q-url-param-list',
  'q-header-list',
  'q-key-time',
  'q-sign-algorithm',
  'X-Amz-Signature',
  'x-amz-credential',
  'X-Amz-Date',
  'X-AMZ-EXPIRES',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Algorithm',
  'X-Tos-Signature',
  'x-tos-date',
  'X-Tos-Credential',
  'X-Tos-Security-Token',
  'x-tos-signedheaders',
  'X-Tos-Content-Sha256',
];

export const paramNameArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'response-content-disposition',
      'response-content-type',
      'versionId',
      'acl',
      'uploads',
      'partNumber',
      'x-cos-security-token',
      'X-Cos-Security-Token',
      'a',
      'A',
      'ab',
      'a b',
      'a&b=c',
      'x-tos-process',
      '中文',
      '😀',
      '\uff01',
      '\u{1f600}x',
      'ключ',
      '__proto__',
      'constructor',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...AUTH_LIKE_PARAMS) },
  { weight: 4, arbitrary: joined(0, 5) },
);

export const paramValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: joined(0, 8) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      "attachment; filename*=UTF-8''%E4%B8%AD.txt",
      'a&b=c',
      '1+1=2',
      'image/resize,w_100',
      '&X-Amz-Signature=0',
      'attachment\r\nSet-Cookie: a=b',
      'x\ny',
      '\x1b[8m',
    ),
  },
);

const B64 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=');
const base64ish = fc.string({ unit: fc.constantFrom(...B64), minLength: 12, maxLength: 600 });

/** Session tokens: base64 full of `+/=`, sometimes with spaces, `&`, non-ASCII, control chars or lone surrogates inside or around. */
export const tokenArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 10, arbitrary: base64ish },
  { weight: 2, arbitrary: fc.tuple(base64ish, joined(1, 3), base64ish).map(([a, p, b]) => a + p + b) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(base64ish, fc.constantFrom(' ', '\n', '\t', '\r\n'))
      .map(([t, w]) => (t.length % 2 ? w + t : t + w)),
  },
);

export const secretIdArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('AKIDfuzz0000EXAMPLE0000') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'AKID/with/slash',
      'AKID+plus=',
      'AK ID',
      ' AKID',
      'AKID\n',
      'ÄKID',
      'AKID\ud800',
      'AKID&q-ak=x',
    ),
  },
);

export const SECRET_KEY = 'fuzzSecret/Key+0123456789abcdefXYZ=';
export const secretKeyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.constant(SECRET_KEY) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ` ${SECRET_KEY}`,
      `${SECRET_KEY}\n`,
      `${SECRET_KEY}\u0000x`,
      `${SECRET_KEY} x`,
      `${SECRET_KEY}\udc00`,
    ),
  },
);

export const methodArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(undefined, 'GET', 'PUT', 'DELETE', 'HEAD', 'POST', 'get', 'put', 'Put') },
  { weight: 1, arbitrary: fc.constantFrom('PATCH', 'GET\r\n', 'CONNECT', '', 'GET /x', 'OPTIONS') },
);

export function expiresArb(max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.integer({ min: 1, max }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, max + 1, '60', null, 3600n, 1e21),
    },
  );
}

export function credentialExpiresArb(nowSec: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.integer({ min: -600, max: 200000 }).map((d) => nowSec + d) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: -600, max: 200000 }).map((d) => new Date((nowSec + d) * 1000).toISOString()),
    },
    // milliseconds (Date.now() + lifetime), as a number or a 13-digit string: read as ms, with a warning
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: -600, max: 200000 }), fc.boolean())
        .map(([d, asText]) => (asText ? String((nowSec + d) * 1000) : (nowSec + d) * 1000)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'tomorrow',
        'NaN',
        {},
        '2026-13-45T99:00:00Z',
        '2026-02-30T00:00:00Z',
        '2027-02-29',
        '2026-12-01T24:00:00Z',
        10n ** 10n,
      ),
    },
  );
}

export const startTimeArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: 946684800, max: 4102444800 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, '1700000000', 0, 1e21, 253402300800, 2 ** 53, 1_700_000_000n) },
);

/** How to set a Host header: none, the URL's own host (maybe in other case), or another bucket's. */
export const hostHeaderArb = fc.oneof(
  { weight: 16, arbitrary: fc.constant('none') },
  { weight: 1, arbitrary: fc.constantFrom('same', 'sameUpper', 'other', 'otherBucket') },
);

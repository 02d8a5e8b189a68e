/**
 * Step-level checks (issue 12.8): each signing step against the SDK vectors' intermediate strings,
 * so a wrong signature says which step broke (as aws4 tests canonicalString()); and unit tests of
 * the building blocks.
 */
import { createHmac } from 'node:crypto';
import { cosCanonicalPairs } from '../../src/core/cos/sign';
import { hmacHexSigner, hmacOnce, hmacSha1Hex, hmacSha256 } from '../../src/core/hash';
import { presignSteps } from '../../src/core/presign';
import { canonicalQuery, codePointCompare } from '../../src/core/sigv4/sign';
import { S3_SIGV4, TOS4 } from '../../src/core/sigv4/schemes';
import { PresignError, PresignInput } from '../../src';
import { loadVectors } from '../helpers/vectors';

type StepVector = { httpString?: string; canonicalRequest?: string; stringToSign?: string; signature?: string };

describe.each(['cos', 'tos', 's3'] as const)('%s vectors, step by step', (p) => {
  const vectors = loadVectors(p).filter((v) => !v.expected.error && (v.expected as StepVector).stringToSign);
  test('there are vectors with intermediate strings', () => expect(vectors.length).toBeGreaterThan(15));

  test.each(vectors.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    const input: PresignInput = { ...v.input, provider: p, keySimplifyCheck: false };
    let steps;
    try {
      steps = presignSteps(input, { now: () => (input.startTime ?? 0) * 1000 });
    } catch (e) {
      // Refused on purpose (vectors.test.ts checks which): a Host header naming another host, or
      // an input the vector marks as one a product may refuse (e.g. a COS key over 850 bytes).
      expect(e).toBeInstanceOf(PresignError);
      if (!v.expected.mayReject) expect((e as PresignError).field).toBe('headers');
      return;
    }
    const want = v.expected as StepVector;
    // In signing order: the first step that differs is the one that broke.
    if (p === 'cos') expect(steps.httpString).toBe(want.httpString);
    else expect(steps.canonicalRequest).toBe(want.canonicalRequest);
    expect(steps.stringToSign).toBe(want.stringToSign);
    expect(steps.signature).toBe(want.signature);
  });
});

describe('canonicalQuery', () => {
  test("S3 sorts by encoded name then value, encodes RFC 3986 (space %20, ! ' ( ) * encoded)", () => {
    expect(
      canonicalQuery(S3_SIGV4, [
        ['b', '2'],
        ['a', 'x y'],
        ['A', "!'()*"],
        ['a', 'a'],
      ]),
    ).toBe('A=%21%27%28%29%2A&a=a&a=x%20y&b=2');
    expect(
      canonicalQuery(S3_SIGV4, [
        ['~', ''],
        ['-', ''],
        ['_', ''],
        ['.', ''],
      ]),
    ).toBe('-=&.=&_=&~=');
    // encoded order: "%" (0x25) sorts before letters, so "é" (%C3%A9) comes before "a"
    expect(
      canonicalQuery(S3_SIGV4, [
        ['a', ''],
        ['é', ''],
      ]),
    ).toBe('%C3%A9=&a=');
  });

  test('TOS sorts by raw name in code point order', () => {
    expect(
      canonicalQuery(TOS4, [
        ['a', ''],
        ['é', ''],
      ]),
    ).toBe('a=&%C3%A9=');
    expect(
      canonicalQuery(TOS4, [
        ['\u{10000}', ''],
        ['\uff01', ''],
      ]),
    ).toBe('%EF%BC%81=&%F0%90%80%80=');
    expect(
      canonicalQuery(TOS4, [
        ['x', 'b'],
        ['x', 'a'],
      ]),
    ).toBe('x=a&x=b');
  });
});

describe('cosCanonicalPairs', () => {
  test('lower-cased encoded names, sorted; values encoded, case kept; the ;-joined list', () => {
    expect(
      cosCanonicalPairs([
        ['Content-Type', 'Text/Plain'],
        ['x-cos-meta-A', 'a b'],
        ['Host', 'h'],
      ]),
    ).toEqual({
      joined: 'content-type=Text%2FPlain&host=h&x-cos-meta-a=a%20b',
      list: 'content-type;host;x-cos-meta-a',
    });
    expect(cosCanonicalPairs([])).toEqual({ joined: '', list: '' });
    // sorted by the encoded name: "%" (0x25) before letters
    expect(
      cosCanonicalPairs([
        ['中', '文'],
        ['a', ''],
      ]),
    ).toEqual({ joined: '%e4%b8%ad=%E6%96%87&a=', list: '%e4%b8%ad;a' });
    expect(
      cosCanonicalPairs([
        ['b', '1'],
        ['A', '2'],
      ]),
    ).toEqual({ joined: 'a=2&b=1', list: 'a;b' });
  });
});

describe('codePointCompare', () => {
  test('orders by code point, not UTF-16 unit: astral characters after U+E000-U+FFFF', () => {
    expect(codePointCompare('\uff01', '\u{10000}')).toBeLessThan(0);
    expect('\u{10000}' < '\uff01').toBe(true); // what plain < says
    expect(codePointCompare('a', 'b')).toBeLessThan(0);
    expect(codePointCompare('ab', 'a')).toBeGreaterThan(0);
    expect(codePointCompare('\u{1f600}', '\u{1f600}')).toBe(0);
    expect(codePointCompare('\ud7ff', '\u{10000}')).toBeLessThan(0);
    const sorted = ['\u{10000}', '\uffff', 'z', '\ue000', '\u{1f600}', '\ud7ff'].sort(codePointCompare);
    expect(sorted.map((c) => c.codePointAt(0))).toEqual([0x7a, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x1f600]);
  });
});

describe('hmacHexSigner (prepared pads)', () => {
  const keys: Array<string | Buffer> = [
    'k',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'ключ-秘密',
    'x'.repeat(64),
    'y'.repeat(65),
    'z'.repeat(200),
    Buffer.from([0, 255, 128, 7]),
    '',
  ];
  const messages = ['', 'a', 'sha1\n1700000000;1700003600\nabc\n', '中文 😀 data', 'm'.repeat(1000)];
  test.each(['sha1', 'sha256'] as const)(
    '%s equals node createHmac for short, long, non-ASCII and binary keys',
    (alg) => {
      for (const key of keys) {
        const sign = hmacHexSigner(alg, key);
        for (const m of messages) expect(sign(m)).toBe(createHmac(alg, key).update(m, 'utf8').digest('hex'));
      }
    },
  );
});

describe('one-message HMACs (key chain, SignKey, a single URL)', () => {
  const keys: Array<string | Buffer> = [
    'k',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'ключ-秘密',
    'y'.repeat(65),
    Buffer.from([0, 255, 128, 7]),
    '',
  ];
  const messages = ['', '20130524', 'us-east-1', '1700000000;1700003600', '中文 😀', 'm'.repeat(1000)];
  test('equal node createHmac for short, long, non-ASCII and binary keys', () => {
    for (const key of keys) {
      for (const m of messages) {
        expect(hmacSha256(key, m).equals(createHmac('sha256', key).update(m, 'utf8').digest())).toBe(true);
        expect(hmacOnce('sha1', key)(m)).toBe(createHmac('sha1', key).update(m, 'utf8').digest('hex'));
        expect(hmacOnce('sha256', key)(m)).toBe(createHmac('sha256', key).update(m, 'utf8').digest('hex'));
        if (typeof key === 'string')
          expect(hmacSha1Hex(key, m)).toBe(createHmac('sha1', key).update(m, 'utf8').digest('hex'));
      }
    }
  });
});

/**
 * Paste damage (first-use issue, item 4): a URL copied with a quote, bracket or full stop around
 * it, with `&amp;`, wrapped over lines, masked by an Actions log or cut short is reported as that
 * damage, first, with the way to get the URL intact; with or without the secret; and the secret
 * key is never blamed for it. URLs are made by the official SDKs.
 */
import { inspectUrl, verifyUrl, VerifyResult } from '../../src';
import { cosSdkUrl, s3SdkUrl, tosSdkUrl } from './inspect-sdk';

const T0 = 1767225600; // 2026-01-01T00:00:00Z
const now = () => (T0 + 10) * 1000;
const SECRET = 'paste-damage-secret-0123456789';
const base = {
  secretId: 'AKIDPASTE',
  secretKey: SECRET,
  key: 'reports/q1 (final).pdf',
  startTime: T0,
  expires: 600,
  params: { 'response-content-type': 'application/pdf' },
};
const urls = {
  cos: cosSdkUrl({
    ...base,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    securityToken: 'cos-session-token',
  }),
  s3: s3SdkUrl({ ...base, bucket: 'examplebucket', region: 'us-west-2', securityToken: 'aws-session-token' }),
  tos: tosSdkUrl({ ...base, bucket: 'examplebucket', region: 'cn-beijing', securityToken: 'tos-session-token' }),
};
const providers = Object.entries(urls) as Array<[keyof typeof urls, string]>;
const sigName = { cos: 'q-signature', s3: 'X-Amz-Signature', tos: 'X-Tos-Signature' };
const tokenName = { cos: 'x-cos-security-token', s3: 'X-Amz-Security-Token', tos: 'X-Tos-Security-Token' };
const akParam = { cos: /q-ak=[^&]*/, s3: /X-Amz-Credential=AKIDPASTE/, tos: /X-Tos-Credential=AKIDPASTE/ };
const akMasked = { cos: 'q-ak=***', s3: 'X-Amz-Credential=***', tos: 'X-Tos-Credential=***' };

/** Nothing in the result says the secret key is wrong. */
function blamesNoSecret(r: VerifyResult): void {
  for (const reason of r.reasons) {
    if (reason.code === 'signature-mismatch')
      expect(reason.message).toMatch(
        /Offline these causes look the same: more of the URL was changed when it was copied/,
      );
    else expect(reason.message).not.toMatch(/secret key is not|wrong secret/i);
  }
}

test('the SDK URLs are intact: no damage, and they verify', () => {
  for (const [, url] of providers) {
    expect(inspectUrl(url, { now }).damage).toEqual([]);
    expect(verifyUrl(url, { secretKey: SECRET, now }).reasons).toEqual([]);
  }
});

// [name, damage, code, message]
const repairable: Array<[string, (u: string) => string, string, RegExp]> = [
  [
    'a trailing double quote',
    (u) => u + '"',
    'quoted',
    /^the signature ends in `"`: the URL was copied with a quote around it, which is not part of it; remove `"`/,
  ],
  ['a trailing single quote', (u) => u + "'", 'quoted', /^the signature ends in `'`: the URL was copied with a quote/],
  ['a trailing bracket', (u) => u + ')', 'quoted', /^the signature ends in `\)`: the URL was copied with a bracket/],
  [
    'a trailing angle bracket',
    (u) => u + '>',
    'quoted',
    /^the signature ends in `>`: the URL was copied with an angle bracket \(as in <URL>/,
  ],
  ['double quotes around it', (u) => `"${u}"`, 'quoted', /^the signature ends in `"`: .*remove `"`, `"`/],
  ['angle brackets around it', (u) => `<${u}>`, 'quoted', /^the signature ends in `>`/],
  [
    'brackets and a full stop',
    (u) => `(${u}).`,
    'quoted',
    /^the signature ends in `\)`, `\.`: the URL was copied with the full stop of a sentence/,
  ],
  ['a Markdown code span', (u) => '`' + u + '`', 'quoted', /^the signature ends in ```/],
  [
    'HTML-escaped ampersands',
    (u) => u.replace(/&/g, '&amp;'),
    'html-escaped',
    /^the URL has `&amp;` where `&` belongs: it was copied from HTML/,
  ],
  ['numeric HTML ampersands', (u) => u.replace(/&/g, '&#38;'), 'html-escaped', /replace each `&amp;` with `&`/],
  [
    'a line break in the signature',
    (u) => u.slice(0, -20) + '\n' + u.slice(-20),
    'wrapped',
    /^the URL contains a line break: it was wrapped when copied/,
  ],
  ['CRLF breaks every 76 characters', (u) => u.replace(/(.{76})/g, '$1\r\n'), 'wrapped', /line break/],
  [
    'spaces where it was wrapped',
    (u) => u.replace(/(.{60})/g, '$1  '),
    'wrapped',
    /^the URL contains spaces: it was wrapped/,
  ],
];

describe.each(providers)('%s: damage that can be undone', (provider, url) => {
  test.each(repairable)('%s', (_name, damage, code, message) => {
    const pasted = damage(url);
    // Without the secret: the damage, and what the URL grants read from it repaired.
    const info = inspectUrl(pasted, { now });
    expect(info.damage.map((d) => d.code)).toEqual([code]);
    expect(info.damage[0].message).toMatch(message);
    expect(info.key).toBe('reports/q1 (final).pdf');
    if (code === 'quoted' && provider !== 'cos') expect(info.damage[0].message).toContain('the signature ends in');
    // With the right secret: the damage first, then that the URL itself is good.
    const r = verifyUrl(pasted, { secretKey: SECRET, now });
    expect(r.ok).toBe(false);
    expect(r.signatureMatches).toBe(true);
    expect(r.reasons.map((x) => x.code)).toEqual(['paste-damage']);
    expect(r.reasons[0].message).toMatch(/With that undone the signature matches: the URL itself is good$/);
    // With a wrong secret: still the damage first, and the secret is not the first suspect.
    const wrong = verifyUrl(pasted, { secretKey: 'another-secret', now });
    expect(wrong.reasons.map((x) => x.code)).toEqual(['paste-damage', 'signature-mismatch']);
    blamesNoSecret(wrong);
  });

  test('several kinds at once, each named', () => {
    const pasted = '"' + url.replace(/&/g, '&amp;').replace(/(.{70})/g, '$1\n') + '".';
    expect(inspectUrl(pasted, { now }).damage.map((d) => d.code)).toEqual(['wrapped', 'html-escaped', 'quoted']);
    const r = verifyUrl(pasted, { secretKey: SECRET, now });
    expect(r.signatureMatches).toBe(true);
    expect(r.reasons.map((x) => x.code)).toEqual(['paste-damage', 'paste-damage', 'paste-damage']);
  });
});

describe.each(providers)('%s: damage that cannot be undone', (provider, url) => {
  const sig = new RegExp(`${sigName[provider]}=[0-9a-f]+`);
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'the signature masked',
      url.replace(sig, `${sigName[provider]}=***`),
      'masked',
      /^the signature \(\S+Signature\) is `\*\*\*`: it was copied from a GitHub Actions log.*take the URL from the step output/i,
    ],
    [
      'the access key id masked',
      url.replace(akParam[provider], akMasked[provider]),
      'masked',
      /^the access key id \(\S+\) is `\*\*\*`: it was copied from a GitHub Actions log/,
    ],
    [
      'the token masked',
      url.replace(new RegExp(`${tokenName[provider]}=[^&]*`), `${tokenName[provider]}=***`),
      'masked',
      /^the security token \(\S+\) is `\*\*\*`/i,
    ],
    [
      'the signature cut short',
      url.slice(0, -5),
      'cut',
      /^the signature has \d+ of its (40|64) hex digits: the URL was cut short when copied; copy it whole/,
    ],
  ];
  test.each(cases)('%s', (_name, pasted, code, message) => {
    expect(pasted).not.toBe(url);
    const info = inspectUrl(pasted, { now });
    expect(info.damage.map((d) => d.code)).toEqual([code]);
    expect(info.damage[0].message).toMatch(message);
    for (const secretId of [undefined, 'AKIDOTHER']) {
      const r = verifyUrl(pasted, { secretKey: SECRET, now, ...(secretId ? { secretId } : {}) });
      expect(r.ok).toBe(false);
      expect(r.signatureMatches).toBeUndefined();
      expect(r.reasons[0].code).toBe('paste-damage');
      blamesNoSecret(r);
    }
  });
});

test('a whole URL masked by the log', () => {
  expect(() => inspectUrl('***')).toThrow(/url: is masked \(`\*\*\*`\): it was copied from a GitHub Actions log/);
});

test('characters that belong to the URL are not taken for damage', () => {
  // An unsigned COS parameter written last, whose value ends in a full stop; a balanced bracket.
  const cos = urls.cos + '&note=v1.';
  expect(inspectUrl(cos, { now }).damage).toEqual([]);
  expect(inspectUrl(urls.s3.replace('/reports/', '/(reports)/'), { now }).damage).toEqual([]);
});

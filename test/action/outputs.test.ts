/** buildOutputs(): every output decision of the action, in process. */
import { buildOutputs, OUTPUT_LIMIT, SIGNING_OUTPUT_NAMES, SignedEntry } from '../../src/action/outputs';

const sig = 'a'.repeat(64);
const entry = (key: string, extra: Partial<SignedEntry> = {}): SignedEntry => ({
  key,
  url: `https://b.s3.amazonaws.com/${encodeURIComponent(key)}?X-Amz-Signature=${sig}`,
  method: 'GET',
  headers: {},
  ...extra,
});
const at = new Date(Date.UTC(2026, 0, 1, 1, 0, 0));

test('one GET key: url, urls, requests, expires-at and a curl command that saves under the key name', () => {
  const o = buildOutputs({ entries: [entry('dir/a b.txt')], expiresAt: at, maskUrls: false });
  const url = entry('dir/a b.txt').url;
  expect(o.values).toEqual([
    ['url', url],
    ['urls', JSON.stringify({ 'dir/a b.txt': url })],
    ['requests', JSON.stringify({ 'dir/a b.txt': { url, method: 'GET', headers: {} } })],
    ['expires-at', '2026-01-01T01:00:00Z'],
    ['curl', `curl --fail-with-body -sS -o 'a b.txt' '${url}'`],
  ]);
  expect(o.expiresAt).toBe('2026-01-01T01:00:00Z');
  expect(o.warnings).toEqual([]);
  expect(o.masks).toEqual([]);
});

test('PUT of a file: requests carry file, curl uploads it; authorization only when given', () => {
  const e = entry('p/pkg/app.zip', { method: 'PUT', headers: { 'Content-Length': '3' }, file: 'pkg/app.zip' });
  const o = buildOutputs({
    entries: [e],
    expiresAt: at,
    authorization: 'q-sign-algorithm=sha1&q-signature=x',
    maskUrls: false,
  });
  const values = Object.fromEntries(o.values);
  expect(JSON.parse(values.requests)['p/pkg/app.zip'].file).toBe('pkg/app.zip');
  expect(values.authorization).toBe('q-sign-algorithm=sha1&q-signature=x');
  expect(values.curl).toBe(`curl --fail-with-body -sS -H 'Content-Length: 3' --upload-file pkg/app.zip '${e.url}'`);
});

test('several keys: no curl; none: only empty urls and requests', () => {
  const two = buildOutputs({ entries: [entry('a'), entry('b')], expiresAt: at, maskUrls: false });
  expect(two.values.map(([n]) => n)).toEqual(['url', 'urls', 'requests', 'expires-at']);
  const none = buildOutputs({ entries: [], maskUrls: false });
  expect(none.values).toEqual([
    ['urls', '{}'],
    ['requests', '{}'],
  ]);
  expect(none.expiresAt).toBe('');
});

test('mask-urls: every URL, its signature and the authorization value are to be masked', () => {
  const o = buildOutputs({
    entries: [entry('a'), entry('b')],
    expiresAt: at,
    authorization: 'auth-value',
    maskUrls: true,
  });
  expect(o.masks).toEqual([entry('a').url, sig, entry('b').url, sig, 'auth-value']);
});

test('outputs above 1 MB are still set in full, with a warning saying how many keys fit', () => {
  const many = Array.from({ length: 4000 }, (_, i) => entry(`k/${'x'.repeat(200)}/${i}`));
  const o = buildOutputs({ entries: many, expiresAt: at, maskUrls: false });
  const urls = o.values.find(([n]) => n === 'urls')![1];
  expect(Buffer.byteLength(urls)).toBeGreaterThan(OUTPUT_LIMIT);
  expect(Object.keys(JSON.parse(urls))).toHaveLength(4000);
  expect(o.warnings.map((w) => w.split(' ')[1])).toEqual(['urls', 'requests']);
  expect(o.warnings[0]).toMatch(/for 4000 keys; .* sign at most about \d+ keys per step/);
});

test('only declared names are ever set', () => {
  const o = buildOutputs({
    entries: [entry('a')],
    expiresAt: at,
    authorization: 'x',
    maskUrls: true,
    temporary: { expiration: '2030-01-01T00:00:00Z', policy: '{}' },
  });
  for (const [n] of o.values) expect(SIGNING_OUTPUT_NAMES).toContain(n);
  expect(new Set(o.values.map(([n]) => n)).size).toBe(SIGNING_OUTPUT_NAMES.length);
});

test('temporary credentials add credential-expiration, and policy only when scoped', () => {
  const unscoped = buildOutputs({
    entries: [entry('a')],
    expiresAt: at,
    maskUrls: false,
    temporary: { expiration: '2030-01-01T00:00:00Z' },
  });
  expect(Object.fromEntries(unscoped.values)['credential-expiration']).toBe('2030-01-01T00:00:00Z');
  expect(unscoped.values.map(([n]) => n)).not.toContain('policy');
  const none = buildOutputs({ entries: [entry('a')], expiresAt: at, maskUrls: false });
  expect(none.values.map(([n]) => n)).not.toContain('credential-expiration');
});

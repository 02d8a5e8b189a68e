/**
 * URLs that sign headers (first-use issue, item 5): an upload URL pinning Content-Type and
 * Content-MD5 is not a failure when the request does not say those values. The result names the
 * headers a client must send, with their values when the request gives them or a usual value
 * makes the signature match; verifies when they are given; and is `failed` only when the URL
 * cannot work. URLs are made by aws4 and cos-nodejs-sdk-v5.
 */
import { verifyUrl } from '../../src';
import { cosSdkUrl, s3SdkUrl } from './inspect-sdk';

const T0 = 1767225600;
const now = () => (T0 + 10) * 1000;
const SECRET = 'signed-headers-secret-0123456789';
const MD5 = 'XrY7u+Ae7tCTyyK7j1rNww=='; // base64 MD5 of "hello world"
const upload = {
  secretId: 'AKIAUPLOAD',
  secretKey: SECRET,
  key: 'releases/app 1.2.pdf',
  method: 'PUT',
  startTime: T0,
  expires: 900,
};
const s3 = s3SdkUrl({
  ...upload,
  bucket: 'examplebucket',
  region: 'us-west-2',
  headers: { 'Content-Type': 'application/pdf', 'Content-MD5': MD5 },
});
const s3TypeOnly = s3SdkUrl({
  ...upload,
  bucket: 'examplebucket',
  region: 'us-west-2',
  headers: { 'Content-Type': 'application/pdf' },
});
const cosCsv = cosSdkUrl({
  ...upload,
  key: 'data/export.csv',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  headers: { 'Content-Type': 'text/csv; charset=utf-8' },
});
const cosOctet = cosSdkUrl({
  ...upload,
  key: 'data/blob',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  headers: { 'Content-Type': 'application/octet-stream' },
});

test('headers not given: needs-headers, which headers and what their values must be', () => {
  const r = verifyUrl(s3, { secretKey: SECRET, method: 'PUT', now });
  expect(r).toMatchObject({ verdict: 'needs-headers', ok: false, signatureMatches: undefined, reasons: [] });
  expect(r.headersToSend.map((h) => [h.name, h.value])).toEqual([
    ['content-md5', undefined],
    ['content-type', undefined],
  ]);
  expect(r.headersToSend[0].note).toMatch(/^base64 of the MD5 of the exact body/);
  // The .pdf key's usual type is tried: the URL pins another header too, so nothing is claimed.
  expect(r.headersToSend[1].note).toMatch(
    /^the media type the URL was signed with \(not application\/pdf, the usual one for this key, nor application\/octet-stream\)/,
  );
});

test('all given and right: ok', () => {
  const spellings: Array<Record<string, string>> = [
    { 'Content-Type': 'application/pdf', 'Content-MD5': MD5 },
    { 'content-md5': MD5, 'CONTENT-TYPE': 'application/pdf' },
  ];
  for (const headers of spellings) {
    const r = verifyUrl(s3, { secretKey: SECRET, method: 'PUT', headers, now });
    expect(r).toMatchObject({ verdict: 'ok', ok: true, signatureMatches: true, reasons: [] });
    expect(r.headersToSend).toEqual([
      { name: 'content-md5', value: MD5, note: 'as given' },
      { name: 'content-type', value: 'application/pdf', note: 'as given' },
    ]);
  }
});

test('the one value the URL cannot tell is found when it is the usual one', () => {
  const partly = verifyUrl(s3, { secretKey: SECRET, method: 'PUT', headers: { 'Content-MD5': MD5 }, now });
  expect(partly).toMatchObject({ verdict: 'needs-headers', signatureMatches: true, reasons: [] });
  expect(partly.headersToSend[1]).toEqual({
    name: 'content-type',
    value: 'application/pdf',
    note: 'found: the signature matches with this value',
  });
  const octet = verifyUrl(cosOctet, { secretKey: SECRET, method: 'PUT', now });
  expect(octet).toMatchObject({ verdict: 'needs-headers', signatureMatches: true });
  expect(octet.headersToSend).toEqual([
    { name: 'content-type', value: 'application/octet-stream', note: 'found: the signature matches with this value' },
  ]);
});

test('an unusual value is not guessed; given, it verifies', () => {
  const r = verifyUrl(cosCsv, { secretKey: SECRET, method: 'PUT', now });
  expect(r).toMatchObject({ verdict: 'needs-headers', signatureMatches: undefined, reasons: [] });
  expect(r.headersToSend[0].note).toMatch(/not text\/csv, the usual one for this key/);
  expect(
    verifyUrl(cosCsv, { secretKey: SECRET, method: 'PUT', headers: { 'Content-Type': 'text/csv; charset=utf-8' }, now })
      .verdict,
  ).toBe('ok');
});

test('failed only when the URL cannot work for the request', () => {
  // A wrong value given: a different signature.
  const wrong = verifyUrl(s3, {
    secretKey: SECRET,
    method: 'PUT',
    headers: { 'Content-Type': 'application/pdf', 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    now,
  });
  expect(wrong.verdict).toBe('failed');
  expect(wrong.reasons.map((x) => x.code)).toEqual(['signature-mismatch']);
  expect(wrong.reasons[0].message).toContain('content-md5: "1B2M2Y8AsgTpgAmY7PhCfg=="');
  // Expired: failed whatever the headers.
  const late = verifyUrl(s3, { secretKey: SECRET, method: 'PUT', now: () => (T0 + 7200) * 1000 });
  expect(late.verdict).toBe('failed');
  expect(late.reasons.map((x) => x.code)).toEqual(['expired']);
  // Checked as a GET: the usual value matches for PUT, so the method is what is wrong.
  const get = verifyUrl(s3TypeOnly, { secretKey: SECRET, now });
  expect(get.verdict).toBe('failed');
  expect(get.reasons.map((x) => x.code)).toEqual(['wrong-method']);
  expect(get.reasons[0].message).toMatch(/^the URL is signed for PUT, not GET/);
  expect(get.headersToSend).toEqual([
    { name: 'content-type', value: 'application/pdf', note: 'found: the signature matches with this value' },
  ]);
  // Another access key id: failed, the headers do not matter.
  expect(verifyUrl(s3, { secretKey: SECRET, secretId: 'AKIAOTHER', method: 'PUT', now }).verdict).toBe('failed');
});

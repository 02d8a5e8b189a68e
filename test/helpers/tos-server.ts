/**
 * A TOS test server (see object-server.ts): every request's TOS4-HMAC-SHA256 query signature is
 * recomputed by @volcengine/tos-sdk's own `SignersV4` (the oracle); errors and multipart answers
 * are TOS's JSON documents.
 *
 * The SDK does not export SignersV4, and its getPreSignedUrl always adds X-Tos-Content-Sha256
 * (so it cannot re-sign a URL without it). The SDK's bundled CommonJS file is therefore loaded a
 * second time with one line appended that exports the class: the SDK's code, unchanged, runs.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { Dialect, RunningObjectServer, startObjectServer } from './object-server';

export const TOS_TEST_CREDENTIALS = {
  secretId: 'AKLTtosTestServer00000000000000',
  secretKey: 'tosTestServerSecret-0123456789abcdef==',
};
export const TOS_TEST_BUCKET = 'example-bucket';
export const TOS_TEST_REGION = 'cn-beijing';

interface SdkSigner {
  authorization(
    opt: { method: string; path: string; query: string; headers: Record<string, string>; datetime: string },
    creds: unknown,
    expiredAt: number,
  ): string;
  signedHeaders(opt: { headers: Record<string, string> }): string;
  getEncodePath(p: string, all?: boolean): string;
}
interface TosSdkInternals {
  SignersV4: new (
    o: { algorithm: string; region: string; serviceName: string; bucket: string },
    c: unknown,
  ) => SdkSigner;
  ISigV4Credentials: new (token: string | undefined, secret: string, id: string) => unknown;
  getSortedQueryString: (q: Record<string, string>) => string;
}

let internals: TosSdkInternals | undefined;
function sdk(): TosSdkInternals {
  if (internals) return internals;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Module = require('node:module');
  const file = require.resolve('@volcengine/tos-sdk/dist/tos.cjs.development.js');
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(
    `${fs.readFileSync(file, 'utf8')}\nmodule.exports.__internals = { SignersV4, ISigV4Credentials, getSortedQueryString };\n`,
    file,
  );
  internals = m.exports.__internals as TosSdkInternals;
  return internals;
}

function verifyTos(secretId: string, secretKey: string) {
  return (
    req: http.IncomingMessage,
    rawPath: string,
    query: Array<[string, string]>,
    nowSec: number,
  ): string | undefined => {
    const q = new Map(query);
    for (const n of ['Algorithm', 'Credential', 'Date', 'Expires', 'SignedHeaders', 'Signature'])
      if (!q.has(`X-Tos-${n}`)) return `missing X-Tos-${n}`;
    const [ak, date, region, service, terminator] = q.get('X-Tos-Credential')!.split('/');
    if (ak !== secretId) return 'unknown access key';
    if (service !== 'tos' || terminator !== 'request' || !q.get('X-Tos-Date')!.startsWith(date))
      return 'bad credential scope';
    const d = q.get('X-Tos-Date')!;
    const start =
      Date.UTC(
        +d.slice(0, 4),
        +d.slice(4, 6) - 1,
        +d.slice(6, 8),
        +d.slice(9, 11),
        +d.slice(11, 13),
        +d.slice(13, 15),
      ) / 1000;
    if (!(start <= nowSec + 900 && nowSec <= start + Number(q.get('X-Tos-Expires')))) return 'expired or not yet valid';
    const { SignersV4, ISigV4Credentials, getSortedQueryString } = sdk();
    const creds = new ISigV4Credentials(undefined, secretKey, secretId);
    const signer = new SignersV4(
      { algorithm: 'TOS4-HMAC-SHA256', region, serviceName: 'tos', bucket: TOS_TEST_BUCKET },
      creds,
    );
    const headers: Record<string, string> = { host: String(req.headers.host) };
    for (const n of q.get('X-Tos-SignedHeaders')!.split(';')) {
      if (n === 'host') continue;
      const v = req.headers[n];
      if (typeof v !== 'string') return `signed header ${n} not sent`;
      headers[n] = v;
    }
    // Everything but the signature, as the SDK builds the canonical query in getSignatureQuery.
    const rest: Record<string, string> = {};
    for (const [n, v] of query) if (n !== 'X-Tos-Signature') rest[n] = v;
    const opt = {
      method: req.method ?? 'GET',
      path: signer.getEncodePath(rawPath),
      query: getSortedQueryString(rest),
      headers,
      datetime: d,
    };
    if (signer.signedHeaders(opt) !== q.get('X-Tos-SignedHeaders'))
      return 'X-Tos-SignedHeaders differs from the headers the SDK signs';
    return signer.authorization(opt, creds, 0) === q.get('X-Tos-Signature') ? undefined : 'signature does not match';
  };
}

export function tosDialect(creds = TOS_TEST_CREDENTIALS): Dialect {
  const errorJson = (code: string, message: string) =>
    JSON.stringify({
      Code: code,
      Message: message,
      RequestId: 'tos-test-request',
      HostId: 'tos-test',
      EC: '0000-00000000',
    });
  return {
    provider: 'tos',
    crcHeader: 'x-tos-hash-crc64ecma',
    minPart: 4 * 1024 * 1024,
    verify: verifyTos(creds.secretId, creds.secretKey),
    errorBody: errorJson,
    error(res, status, code, message) {
      res.writeHead(status, { 'Content-Type': 'application/json', 'x-tos-request-id': 'tos-test-request' });
      res.end(errorJson(code, message));
    },
    initiated(res, key, uploadId) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Bucket: TOS_TEST_BUCKET, Key: key, UploadId: uploadId }));
    },
    completeParts(body) {
      const j = JSON.parse(body.toString('utf8')) as { Parts: Array<{ PartNumber: number; ETag: string }> };
      if (!Array.isArray(j.Parts)) throw new Error('malformed');
      return j.Parts.map((p) => ({ partNumber: p.PartNumber, etag: p.ETag }));
    },
    completed(res, key, etag, crc) {
      res.writeHead(200, { 'Content-Type': 'application/json', ETag: etag, 'x-tos-hash-crc64ecma': crc });
      res.end(JSON.stringify({ Bucket: TOS_TEST_BUCKET, Key: key, ETag: etag, Location: `/${key}` }));
    },
  };
}

export function startTosServer(now?: () => number): Promise<RunningObjectServer> {
  return startObjectServer(tosDialect(), now);
}

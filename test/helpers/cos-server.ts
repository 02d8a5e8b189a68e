/**
 * A COS test server (see object-server.ts): every request's q-sign signature is recomputed by
 * cos-nodejs-sdk-v5's static `COS.getAuthorization` (the oracle), errors and multipart answers
 * are COS's XML documents, and complete can answer 200 with an `<Error>` body as COS does.
 */
import type * as http from 'node:http';
import COS from 'cos-nodejs-sdk-v5';
import { Dialect, RunningObjectServer, startObjectServer } from './object-server';

export const COS_TEST_CREDENTIALS = {
  secretId: 'AKIDcosTestServer0000000000000000',
  secretKey: 'cosTestServerSecret-0123456789abcdef',
};
export const COS_TEST_BUCKET = 'examplebucket-1250000000';

const AUTH = new Set([
  'q-sign-algorithm',
  'q-ak',
  'q-sign-time',
  'q-key-time',
  'q-header-list',
  'q-url-param-list',
  'q-signature',
]);

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function verifyCos(secretId: string, secretKey: string) {
  return (
    req: http.IncomingMessage,
    rawPath: string,
    query: Array<[string, string]>,
    nowSec: number,
  ): string | undefined => {
    const q = new Map(query.filter(([n]) => AUTH.has(n)));
    for (const n of AUTH) if (!q.has(n)) return `missing ${n}`;
    if (q.get('q-ak') !== secretId) return 'unknown q-ak';
    const keyTime = q.get('q-key-time')!;
    const [start, end] = keyTime.split(';').map(Number);
    if (!(start <= nowSec && nowSec <= end)) return `expired or not yet valid (q-key-time ${keyTime})`;
    const params: Record<string, string> = {};
    for (const [n, v] of query) if (!AUTH.has(n)) params[n] = v;
    const headerNames = q.get('q-header-list') ? q.get('q-header-list')!.split(';') : [];
    const headers: Record<string, string> = {};
    for (const n of headerNames) {
      const v = req.headers[decodeURIComponent(n)];
      if (typeof v !== 'string') return `signed header ${n} not sent`;
      headers[decodeURIComponent(n)] = v;
    }
    const auth = COS.getAuthorization({
      SecretId: secretId,
      SecretKey: secretKey,
      Method: req.method ?? 'GET',
      Key: decodeURIComponent(rawPath),
      Query: params,
      Headers: headers,
      KeyTime: keyTime,
    } as COS.StaticGetAuthorizationOptions);
    const sdk = new Map(auth.split('&').map((p) => p.split('=') as [string, string]));
    if (sdk.get('q-url-param-list') !== q.get('q-url-param-list'))
      return 'q-url-param-list does not cover exactly the URL parameters';
    if (sdk.get('q-header-list') !== q.get('q-header-list')) return "q-header-list differs from the SDK's";
    return sdk.get('q-signature') === q.get('q-signature') ? undefined : 'q-signature does not match';
  };
}

export function cosDialect(creds = COS_TEST_CREDENTIALS): Dialect {
  const errorBody = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><Resource>/</Resource><RequestId>NjQ-test</RequestId></Error>`;
  return {
    provider: 'cos',
    crcHeader: 'x-cos-hash-crc64ecma',
    minPart: 1000 * 1000,
    verify: verifyCos(creds.secretId, creds.secretKey),
    errorBody,
    error(res, status, code, message) {
      res.writeHead(status, { 'Content-Type': 'application/xml', 'x-cos-request-id': 'NjQ-test' });
      res.end(errorBody(code, message));
    },
    initiated(res, key, uploadId) {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(
        `<InitiateMultipartUploadResult><Bucket>${COS_TEST_BUCKET}</Bucket><Key>${xml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    },
    completeParts(body) {
      const text = body.toString('utf8');
      if (!/^<CompleteMultipartUpload>[\s\S]*<\/CompleteMultipartUpload>$/.test(text.trim()))
        throw new Error('malformed');
      return [...text.matchAll(/<Part><PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag><\/Part>/g)].map((m) => ({
        partNumber: Number(m[1]),
        etag: m[2].replace(/&quot;/g, '"'),
      }));
    },
    completed(res, key, etag, crc) {
      // COS: headers go out before the merge ends; the result (or an error) is the body.
      res.writeHead(200, { 'Content-Type': 'application/xml', 'x-cos-hash-crc64ecma': crc });
      res.end(
        `<CompleteMultipartUploadResult><Location>${COS_TEST_BUCKET}/${xml(key)}</Location><Bucket>${COS_TEST_BUCKET}</Bucket><Key>${xml(key)}</Key><ETag>${xml(etag)}</ETag></CompleteMultipartUploadResult>`,
      );
    },
  };
}

export function startCosServer(now?: () => number): Promise<RunningObjectServer> {
  return startObjectServer(cosDialect(), now);
}

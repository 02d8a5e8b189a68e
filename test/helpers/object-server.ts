/**
 * A small object store on 127.0.0.1 that speaks the COS or TOS object API closely enough for the
 * upload engine: PUT, GET (ranges), HEAD, DELETE, and multipart (initiate, part, complete, abort).
 * Each request's signature is checked by a provider module (cos-server.ts, tos-server.ts) with the
 * official SDK's own signer; Content-MD5 is checked; CRC-64 headers come from tos-crc64-js, a
 * published CRC-64/ECMA-182 package that the engine does not use. Imports nothing from src/.
 *
 * Faults are injected per request through `faults` (first matching, counted down).
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { crc64: tosCrc64 } = require('tos-crc64-js') as { crc64(buf: Buffer, prev?: string): string };

export type Op = 'put' | 'part' | 'initiate' | 'complete' | 'abort' | 'get' | 'head' | 'delete';

export interface RequestInfo {
  op: Op;
  method: string;
  key: string;
  query: Map<string, string>;
  headers: http.IncomingHttpHeaders;
}

export type FaultAction =
  | { reset: true } // destroy the connection after part of the body arrived
  | { status: number; code: string } // an error answer
  | { delayMs: number } // answer only after this long (a slow server)
  | { wrongCrc: true } // a CRC-64 header that is not the stored bytes'
  | { completeError: string }; // complete: 200 with an <Error> body

export interface Fault {
  match: (r: RequestInfo) => boolean;
  /** How many matching requests get the fault. */
  times: number;
  action: FaultAction;
}

export interface Dialect {
  provider: 'cos' | 'tos';
  crcHeader: string;
  /** Minimum part size but the last (checked at complete, as the services do). */
  minPart: number;
  /** undefined when the signature verifies; else the reason. */
  verify(req: http.IncomingMessage, path: string, query: Array<[string, string]>, nowSec: number): string | undefined;
  error(res: http.ServerResponse, status: number, code: string, message: string): void;
  initiated(res: http.ServerResponse, key: string, uploadId: string): void;
  /** Part numbers and ETags from a complete body. */
  completeParts(body: Buffer): Array<{ partNumber: number; etag: string }>;
  completed(res: http.ServerResponse, key: string, etag: string, crc: string): void;
  /** The `<Error>` body COS sends in a 200 answer to complete. */
  errorBody(code: string, message: string): string;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
  crc: string;
  headers: Record<string, string>;
}

export interface RunningObjectServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  objects: Map<string, StoredObject>;
  /** Open multipart uploads by id. */
  uploads: Map<string, { key: string; parts: Map<number, { body: Buffer; etag: string }> }>;
  faults: Fault[];
  /** Every request seen: op and key (never the URL). */
  log: Array<{ op: Op; key: string; status: number }>;
  stop(): Promise<void>;
}

export function crc64Of(buf: Buffer): string {
  let s = '0';
  for (let i = 0; i < buf.length; i += 1 << 20) s = tosCrc64(buf.subarray(i, i + (1 << 20)), s);
  return s;
}

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');

function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').map((p) => {
    const eq = p.indexOf('=');
    const n = eq < 0 ? p : p.slice(0, eq);
    const v = eq < 0 ? '' : p.slice(eq + 1);
    return [decodeURIComponent(n), decodeURIComponent(v)];
  });
}

function opOf(method: string, q: Map<string, string>): Op {
  if (method === 'POST' && q.has('uploads')) return 'initiate';
  if (method === 'POST' && q.has('uploadId')) return 'complete';
  if (method === 'PUT' && q.has('uploadId')) return 'part';
  if (method === 'DELETE' && q.has('uploadId')) return 'abort';
  return ({ PUT: 'put', GET: 'get', HEAD: 'head', DELETE: 'delete' } as Record<string, Op>)[method] ?? 'get';
}

const STORED_HEADERS =
  /^(content-type|cache-control|content-disposition|content-encoding|expires|x-(cos|tos)-meta-.*|x-(cos|tos)-storage-class)$/;

export async function startObjectServer(d: Dialect, now: () => number = Date.now): Promise<RunningObjectServer> {
  const objects = new Map<string, StoredObject>();
  const uploads: RunningObjectServer['uploads'] = new Map();
  const faults: Fault[] = [];
  const log: RunningObjectServer['log'] = [];
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const query = parseQuery(qi < 0 ? '' : url.slice(qi + 1));
    const q = new Map(query);
    const key = decodeURIComponent(rawPath).replace(/^\//, '');
    const info: RequestInfo = {
      op: opOf(req.method ?? 'GET', q),
      method: req.method ?? 'GET',
      key,
      query: q,
      headers: req.headers,
    };
    const fault = faults.find((f) => f.times > 0 && f.match(info));
    if (fault) fault.times--;
    const action = fault?.action;
    const done = (status: number) => log.push({ op: info.op, key, status });

    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      if (action && 'reset' in action && received > 0) req.socket.destroy();
    });
    req.on('end', () => {
      if (action && 'reset' in action) return void req.socket.destroy();
      const body = Buffer.concat(chunks);
      const answer = () => handle(info, rawPath, query, body, req, res, action, done);
      if (action && 'delayMs' in action) setTimeout(answer, action.delayMs);
      else answer();
    });
  });

  function handle(
    info: RequestInfo,
    rawPath: string,
    query: Array<[string, string]>,
    body: Buffer,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    action: FaultAction | undefined,
    done: (s: number) => void,
  ): void {
    const fail = (status: number, code: string, message: string) => {
      done(status);
      if (res.writableEnded || res.destroyed) return;
      d.error(res, status, code, message);
    };
    if (action && 'status' in action) return fail(action.status, action.code, 'injected fault');
    const why = d.verify(req, rawPath, query, Math.floor(now() / 1000));
    if (why) return fail(403, why.startsWith('expired') ? 'AccessDenied' : 'SignatureDoesNotMatch', why);
    const md5 = req.headers['content-md5'];
    if (typeof md5 === 'string' && createHash('md5').update(body).digest('base64') !== md5)
      return fail(400, 'BadDigest', 'The Content-MD5 you specified did not match what was received');
    const q = info.query;
    const crcOut = (c: string) => (action && 'wrongCrc' in action ? (BigInt(c) ^ 1n).toString() : c);
    switch (info.op) {
      case 'put': {
        const headers: Record<string, string> = {};
        for (const [n, v] of Object.entries(req.headers))
          if (STORED_HEADERS.test(n) && typeof v === 'string') headers[n] = v;
        const o = { body, etag: `"${md5hex(body)}"`, crc: crc64Of(body), headers };
        objects.set(info.key, o);
        res.writeHead(200, { ETag: o.etag, [d.crcHeader]: crcOut(o.crc) });
        done(200);
        return void res.end();
      }
      case 'initiate': {
        const id = `upload-${nextId++}`;
        uploads.set(id, { key: info.key, parts: new Map() });
        done(200);
        return d.initiated(res, info.key, id);
      }
      case 'part': {
        const u = uploads.get(q.get('uploadId')!);
        if (!u || u.key !== info.key) return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist');
        const n = Number(q.get('partNumber'));
        if (!(n >= 1 && n <= 10000)) return fail(400, 'InvalidArgument', 'partNumber');
        const etag = `"${md5hex(body)}"`;
        u.parts.set(n, { body, etag });
        res.writeHead(200, { ETag: etag, [d.crcHeader]: crcOut(crc64Of(body)) });
        done(200);
        return void res.end();
      }
      case 'complete': {
        const id = q.get('uploadId')!;
        const u = uploads.get(id);
        if (!u || u.key !== info.key) return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist');
        let list;
        try {
          list = d.completeParts(body);
        } catch {
          return fail(400, 'MalformedXML', 'The XML you provided was not well-formed');
        }
        for (let i = 0; i < list.length; i++) {
          const p = u.parts.get(list[i].partNumber);
          if (i > 0 && list[i].partNumber <= list[i - 1].partNumber)
            return fail(400, 'InvalidPartOrder', 'parts must be ascending');
          if (!p || p.etag !== list[i].etag)
            return fail(400, 'InvalidPart', `part ${list[i].partNumber} was not uploaded or its ETag differs`);
          if (i < list.length - 1 && p.body.length < d.minPart)
            return fail(400, 'EntityTooSmall', `part ${list[i].partNumber} is smaller than the minimum`);
        }
        if (action && 'completeError' in action) {
          // COS: the 200 goes out before the merge; the failure arrives in the body.
          res.writeHead(200, { 'Content-Type': 'application/xml' });
          done(200);
          return void res.end(d.errorBody(action.completeError, 'injected failure during the merge'));
        }
        const whole = Buffer.concat(list.map((p) => u.parts.get(p.partNumber)!.body));
        const etag = `"${md5hex(Buffer.concat(list.map((p) => Buffer.from(u.parts.get(p.partNumber)!.etag.replace(/"/g, ''), 'hex'))))}-${list.length}"`;
        const o = { body: whole, etag, crc: crc64Of(whole), headers: {} };
        objects.set(info.key, o);
        uploads.delete(id);
        done(200);
        return d.completed(res, info.key, etag, crcOut(o.crc));
      }
      case 'abort': {
        if (!uploads.delete(q.get('uploadId')!))
          return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist');
        res.writeHead(204);
        done(204);
        return void res.end();
      }
      case 'get':
      case 'head': {
        const o = objects.get(info.key);
        if (!o) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        const base = { ETag: o.etag, [d.crcHeader]: crcOut(o.crc), 'Accept-Ranges': 'bytes', ...o.headers };
        const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
        if (range && info.op === 'get') {
          const start = Number(range[1]);
          if (start >= o.body.length) return fail(416, 'InvalidRange', 'The requested range is not satisfiable');
          const end = Math.min(o.body.length - 1, range[2] ? Number(range[2]) : o.body.length - 1);
          res.writeHead(206, {
            ...base,
            'Content-Length': end - start + 1,
            'Content-Range': `bytes ${start}-${end}/${o.body.length}`,
          });
          done(206);
          return void res.end(o.body.subarray(start, end + 1));
        }
        res.writeHead(200, { ...base, 'Content-Length': o.body.length });
        done(200);
        return void res.end(info.op === 'head' ? undefined : o.body);
      }
      case 'delete': {
        objects.delete(info.key);
        res.writeHead(204);
        done(204);
        return void res.end();
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    uploads,
    faults,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

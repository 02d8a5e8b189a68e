/**
 * A forwarding proxy on 127.0.0.1 in front of a test server (s3rver), for faults the server itself
 * cannot make: a connection reset in the middle of a request body, error bursts, a rewritten ETag. The request
 * (path, query, headers, Host included) is forwarded unchanged, so signatures still verify.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyFault {
  match: (method: string, url: string) => boolean;
  times: number;
  action: { reset: true } | { status: number; code: string } | { etag: string };
}

export interface RunningProxy {
  endpoint: string;
  faults: ProxyFault[];
  /** method + path (no query) of every request forwarded or faulted. */
  seen: string[];
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<RunningProxy> {
  const t = new URL(target);
  const faults: ProxyFault[] = [];
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    seen.push(`${req.method} ${url.split('?')[0]}`);
    const f = faults.find((x) => x.times > 0 && x.match(req.method ?? '', url));
    if (f) f.times--;
    if (f && 'reset' in f.action) {
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    if (f && 'status' in f.action) {
      const { status, code } = f.action;
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'Content-Type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message><RequestId>proxy</RequestId></Error>`,
        );
      });
      return;
    }
    const up = http.request(
      { host: t.hostname, port: t.port, method: req.method, path: url, headers: req.headers },
      (r) => {
        const headers = f && 'etag' in f.action ? { ...r.headers, etag: f.action.etag } : r.headers;
        res.writeHead(r.statusCode ?? 502, headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal HTTP client that sends a URL's path and query byte for byte (fetch would normalise them). */
import * as http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<RawResponse> {
  const m = /^http:\/\/([^/:]+):(\d+)(\/[^#]*)$/.exec(url);
  if (!m) return Promise.reject(new Error(`the demo client only speaks http://host:port/… (got a different URL)`));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: m[1],
        port: Number(m[2]),
        path: m[3],
        method: opts.method ?? 'GET',
        headers: opts.headers,
        timeout: 10000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${m[1]}:${m[2]} within 10 s`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The `<Code>` of an S3 error document, for messages. */
export function s3ErrorCode(body: Buffer): string {
  return /<Code>([^<]+)<\/Code>/.exec(body.toString('utf8'))?.[1] ?? '';
}

/**
 * A stand-in for the GitHub REST API on 127.0.0.1 (GITHUB_API_URL points at it): the documented
 * issue-comment endpoints the PR comment uses - list (paginated), create, update - with a bearer
 * token check. Comments are kept in memory.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
}

export interface RunningGithubApi {
  url: string;
  comments: StoredComment[];
  /** method + path of every request. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startGithubApi(owner: string, repo: string, token: string): Promise<RunningGithubApi> {
  const comments: StoredComment[] = [];
  const requests: string[] = [];
  let nextId = 1000;
  const base = `/repos/${owner}/${repo}/issues`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      const json = (status: number, v: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) return json(401, { message: 'Bad credentials' });
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const list = new RegExp(`^${base}/(\\d+)/comments$`).exec(url.pathname);
      const one = new RegExp(`^${base}/comments/(\\d+)$`).exec(url.pathname);
      if (list && req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const mine = comments.filter((c) => c.issue === Number(list[1]));
        return json(200, mine.slice((page - 1) * perPage, page * perPage).map((c) => ({ id: c.id, body: c.body })));
      }
      if (list && req.method === 'POST') {
        if (typeof body.body !== 'string' || body.body.length > 65536) return json(422, { message: 'Validation Failed' });
        const c = { id: nextId++, issue: Number(list[1]), body: body.body };
        comments.push(c);
        return json(201, { id: c.id, body: c.body });
      }
      if (one && req.method === 'PATCH') {
        const c = comments.find((x) => x.id === Number(one[1]));
        if (!c) return json(404, { message: 'Not Found' });
        if (typeof body.body !== 'string' || body.body.length > 65536) return json(422, { message: 'Validation Failed' });
        c.body = body.body;
        return json(200, { id: c.id, body: c.body });
      }
      return json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    comments, requests,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

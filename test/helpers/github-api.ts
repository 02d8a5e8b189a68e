/**
 * A local stand-in for the part of the GitHub REST API the sticky comment uses, on 127.0.0.1,
 * answering as docs.github.com documents it:
 *   GET   /repos/{owner}/{repo}/issues/{issue_number}/comments   per_page (default 30, max 100),
 *         page, and a Link header with rel="next"/"last"/"first"/"prev" absolute URLs
 *   POST  /repos/{owner}/{repo}/issues/{issue_number}/comments   {body} -> 201; 422 when the body
 *         is missing or longer than 65,536 characters
 *   PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}     {body} -> 200
 *   GET   /user   the token's user; 403 "Resource not accessible by integration" for an
 *         installation token (GITHUB_TOKEN), as GitHub answers
 * Every request must carry `Authorization: token <t>` or `Bearer <t>` of a known token (401
 * "Bad credentials" otherwise); a read-only token gets 403 on writes. Faults (502, 403 rate
 * limits, a write applied but its answer lost, a hang) are injected per method and path.
 *
 * Imports nothing from src/.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const BODY_LIMIT = 65_536;

export interface ApiUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface TokenSpec {
  user: ApiUser;
  /** An installation token (GITHUB_TOKEN): GET /user is refused with 403. */
  installation?: boolean;
  /** Writes are refused with 403, like a fork's pull_request token. */
  readOnly?: boolean;
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
  user: ApiUser;
  created_at: string;
  updated_at: string;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  headers?: Record<string, string>;
  message?: string;
  /** Apply the request first, then answer with the fault: a write whose answer was lost. */
  afterApply?: boolean;
  /** Answer (with the fault's status) only after this long: a server that hangs. */
  stallMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  authorization?: string;
}

export const GITHUB_ACTIONS_BOT: ApiUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export class GitHubApi {
  readonly comments: StoredComment[] = [];
  readonly log: LoggedRequest[] = [];
  private readonly tokens = new Map<string, TokenSpec>();
  private readonly issues = new Set<string>();
  private faults: Array<Fault & { left: number }> = [];
  private nextId = 2_000_000_001;
  private server?: http.Server;
  /** `http://127.0.0.1:<port>`, the GITHUB_API_URL to use. */
  url = '';

  addToken(token: string, spec: TokenSpec): this {
    this.tokens.set(token, spec);
    return this;
  }

  addIssue(owner: string, repo: string, issue: number): this {
    this.issues.add(`${owner}/${repo}#${issue}`);
    return this;
  }

  /** A comment written by someone else, as if posted earlier. */
  seed(owner: string, repo: string, issue: number, body: string, user: ApiUser): StoredComment {
    return this.store(owner, repo, issue, body, user);
  }

  inject(f: Fault): this {
    this.faults.push({ ...f, left: f.times ?? 1 });
    return this;
  }

  commentsOn(owner: string, repo: string, issue: number): StoredComment[] {
    return this.comments.filter((c) => c.owner === owner && c.repo === repo && c.issue === issue);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private store(owner: string, repo: string, issue: number, body: string, user: ApiUser): StoredComment {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const c: StoredComment = { id: this.nextId++, owner, repo, issue, body, user, created_at: now, updated_at: now };
    this.comments.push(c);
    return c;
  }

  private json(c: StoredComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
      html_url: `https://github.test/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${c.owner}/${c.repo}/issues/${c.issue}`,
      body: c.body,
      user: { login: c.user.login, id: c.user.id, type: c.user.type },
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.url);
    const entry: LoggedRequest = {
      method,
      path: url.pathname + url.search,
      status: 0,
      authorization: req.headers.authorization,
    };
    this.log.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      send(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);

    const auth = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '');
    const spec = auth ? this.tokens.get(auth[1]) : undefined;
    if (!spec) return error(401, 'Bad credentials');

    const fault = this.faults.find((f) => f.left > 0 && f.method === method && f.path.test(url.pathname));
    if (fault) fault.left--;
    if (fault && !fault.afterApply) {
      const answer = () =>
        error(fault.status, fault.message ?? http.STATUS_CODES[fault.status] ?? 'error', fault.headers);
      if (fault.stallMs) {
        const timer = setTimeout(answer, fault.stallMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      return answer();
    }
    const reply: typeof send = fault
      ? () => error(fault.status, fault.message ?? http.STATUS_CODES[fault.status] ?? 'error', fault.headers)
      : send;

    if (method === 'GET' && url.pathname === '/user') {
      if (spec.installation) return error(403, 'Resource not accessible by integration');
      return reply(200, { login: spec.user.login, id: spec.user.id, type: spec.user.type });
    }

    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m) {
      const [owner, repo, issue] = [m[1], m[2], Number(m[3])];
      if (!this.issues.has(`${owner}/${repo}#${issue}`)) return error(404, 'Not Found');
      if (method === 'GET') {
        const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const all = this.commentsOn(owner, repo, issue);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number, rel: string) => {
          const u = new URL(url.pathname, this.url);
          u.searchParams.set('per_page', String(perPage));
          u.searchParams.set('page', String(p));
          return `<${u.href}>; rel="${rel}"`;
        };
        const links: string[] = [];
        if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        const data = all.slice((page - 1) * perPage, page * perPage).map((c) => this.json(c));
        return reply(200, data, links.length ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') {
        if (spec.readOnly) return error(403, 'Resource not accessible by integration');
        const body = parseBody(raw);
        const invalid = validate(body);
        if (invalid) return send(422, invalid);
        const c = this.store(owner, repo, issue, body!, spec.user);
        return reply(201, this.json(c), { location: `${this.url}/repos/${owner}/${repo}/issues/comments/${c.id}` });
      }
      return error(404, 'Not Found');
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && method === 'PATCH') {
      const c = this.comments.find((x) => x.owner === m![1] && x.repo === m![2] && x.id === Number(m![3]));
      if (!c) return error(404, 'Not Found');
      if (spec.readOnly) return error(403, 'Resource not accessible by integration');
      const body = parseBody(raw);
      const invalid = validate(body);
      if (invalid) return send(422, invalid);
      c.body = body!;
      c.updated_at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      return reply(200, this.json(c));
    }
    return error(404, 'Not Found');
  }
}

function parseBody(raw: string): string | undefined {
  try {
    const v = JSON.parse(raw) as { body?: unknown };
    return typeof v.body === 'string' ? v.body : undefined;
  } catch {
    return undefined;
  }
}

/** GitHub's 422 for a missing or too long body; it counts characters (code points). */
function validate(body: string | undefined): Record<string, unknown> | undefined {
  if (body === undefined || body === '') {
    return {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
    };
  }
  if ([...body].length > BODY_LIMIT) {
    return {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
        },
      ],
    };
  }
  return undefined;
}

export async function startGitHubApi(): Promise<GitHubApi> {
  return new GitHubApi().start();
}

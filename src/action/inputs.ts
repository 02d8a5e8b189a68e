/**
 * Parsing of the action's inputs into core values. Pure (no @actions imports) so every rule
 * here can be tested directly; `main.ts` feeds it `core.getInput`.
 *
 * Every refusal is an `InputError` naming the action input (kebab-case, as in action.yml) and
 * the fix. Messages never echo secret-key or security-token values.
 */
import type { PresignError } from '../core/errors';
import { PROVIDERS, Provider } from '../core/types';

export class InputError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(`Input "${input}": ${message}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** How the action reads its inputs: `core.getInput` / `core.getMultilineInput` in production. */
export interface InputReader {
  /** Trimmed value, '' when not given. */
  get(name: string): string;
  /** Non-empty trimmed lines. */
  lines(name: string): string[];
}

export type SummaryMode = 'none' | 'names' | 'links';
export type IfNoFilesFound = 'error' | 'warn' | 'ignore';

export const DEFAULT_EXPIRES_SECONDS = 3600;

function oneOf<T extends string>(r: InputReader, name: string, allowed: readonly T[], dflt: T): T {
  const raw = r.get(name);
  if (raw === '') return dflt;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v)) throw new InputError(name, `${JSON.stringify(raw)} is not one of ${allowed.join(', ')}; use one of them (default ${dflt})`);
  return v;
}

export function provider(r: InputReader): Provider {
  return oneOf(r, 'provider', PROVIDERS, 'cos');
}

export function summaryMode(r: InputReader): SummaryMode {
  return oneOf(r, 'summary', ['none', 'names', 'links'] as const, 'names');
}

export function ifNoFilesFound(r: InputReader): IfNoFilesFound {
  return oneOf(r, 'if-no-files-found', ['error', 'warn', 'ignore'] as const, 'error');
}

/** YAML-style booleans as the runner passes them ('true'/'True'/'TRUE'…); '' means the default. */
export function bool(r: InputReader, name: string, dflt: boolean): boolean {
  const raw = r.get(name);
  if (raw === '') return dflt;
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  throw new InputError(name, `${JSON.stringify(raw)} is not a boolean; use 'true' or 'false' (default '${dflt}')`);
}

/** Lifetime in seconds: digits only ('3600'), default 3600. Range checks are the core's. */
export function expires(r: InputReader): number {
  const raw = r.get('expires');
  if (raw === '') return DEFAULT_EXPIRES_SECONDS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new InputError('expires', `must be a whole number of seconds such as '3600' (1 hour); got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Unix seconds or an ISO 8601 time; undefined when not given. */
export function startTime(r: InputReader): number | undefined {
  const raw = r.get('start-time');
  if (raw === '') return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms) || !Number.isSafeInteger(Math.floor(ms / 1000))) {
    throw new InputError('start-time', `must be unix seconds (e.g. '1767225600') or an ISO 8601 time (e.g. '2026-01-01T00:00:00Z'); got ${JSON.stringify(raw)}`);
  }
  return Math.floor(ms / 1000);
}

/** `Name: value` per line. Names keep their spelling; duplicates (any case) are refused. */
export function headers(r: InputReader): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  r.lines('headers').forEach((line, i) => {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (colon <= 0 || name === '') {
      throw new InputError('headers', `line ${i + 1} is not "Name: value"; write one header per line, e.g. "Content-Type: application/gzip"`);
    }
    if (seen.has(name.toLowerCase())) throw new InputError('headers', `${JSON.stringify(name)} is given twice; keep one line per header`);
    seen.add(name.toLowerCase());
    // Optional whitespace after the colon is not part of the value (RFC 9110 field syntax).
    out[name] = line.slice(colon + 1).trim();
  });
  return out;
}

/** `name=value` per line (the value may be empty, `name=`). */
export function params(r: InputReader): Record<string, string> {
  const out: Record<string, string> = {};
  r.lines('params').forEach((line, i) => {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError('params', `line ${i + 1} is not "name=value"; write one query parameter per line, e.g. "response-content-disposition=attachment"`);
    }
    const name = line.slice(0, eq).trim();
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new InputError('params', `${JSON.stringify(name)} is given twice; keep one line per parameter`);
    out[name] = line.slice(eq + 1).trim();
  });
  return out;
}

// ---- key-prefix templates ------------------------------------------------------------------

/** What `key-prefix` placeholders are filled from (the @actions/github context, in main.ts). */
export interface TemplateContext {
  owner?: string;
  repo?: string;
  ref?: string;
  sha?: string;
  runId?: number;
  runNumber?: number;
  runAttempt?: number;
  eventName?: string;
  prNumber?: number;
}

/** refs/heads/main → main, refs/tags/v1 → v1, refs/pull/7/merge → 7/merge (as GITHUB_REF_NAME). */
export function refName(ref: string): string {
  const m = /^refs\/(?:heads|tags|pull)\/(.+)$/.exec(ref);
  return m ? m[1] : ref;
}

type Placeholder = { from: string; value: (c: TemplateContext) => string | number | undefined };

export const PLACEHOLDERS: Record<string, Placeholder> = {
  owner: { from: 'GITHUB_REPOSITORY', value: (c) => c.owner },
  repo: { from: 'GITHUB_REPOSITORY', value: (c) => c.repo },
  repository: { from: 'GITHUB_REPOSITORY', value: (c) => (c.owner && c.repo ? `${c.owner}/${c.repo}` : undefined) },
  ref_name: { from: 'GITHUB_REF', value: (c) => (c.ref ? refName(c.ref) : undefined) },
  sha: { from: 'GITHUB_SHA', value: (c) => c.sha },
  short_sha: { from: 'GITHUB_SHA', value: (c) => c.sha?.slice(0, 7) },
  run_id: { from: 'GITHUB_RUN_ID', value: (c) => c.runId },
  run_number: { from: 'GITHUB_RUN_NUMBER', value: (c) => c.runNumber },
  run_attempt: { from: 'GITHUB_RUN_ATTEMPT', value: (c) => c.runAttempt },
  event: { from: 'GITHUB_EVENT_NAME', value: (c) => c.eventName },
  pr_number: { from: 'the pull_request event payload', value: (c) => c.prNumber },
};

/** Fills `{name}` placeholders; any other `{…}` is refused so a typo cannot reach a key. */
export function renderPrefix(template: string, c: TemplateContext): string {
  return template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    const p = PLACEHOLDERS[name];
    if (!p) {
      throw new InputError('key-prefix', `unknown placeholder {${name}}; use ${Object.keys(PLACEHOLDERS).map((n) => `{${n}}`).join(', ')}`);
    }
    const v = p.value(c);
    if (v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new InputError('key-prefix', `{${name}} has no value here (it comes from ${p.from}); remove it or run inside a workflow that sets it`);
    }
    return String(v);
  });
}

// ---- core errors → action inputs -----------------------------------------------------------

/** `PresignInput` field → action input. */
const FIELD_TO_INPUT: Record<string, string> = {
  provider: 'provider',
  secretId: 'secret-id',
  secretKey: 'secret-key',
  securityToken: 'security-token',
  bucket: 'bucket',
  region: 'region',
  endpoint: 'endpoint',
  domain: 'domain',
  isCustomDomain: 'domain',
  accelerate: 'accelerate',
  scheme: 'scheme',
  method: 'method',
  expires: 'expires',
  startTime: 'start-time',
  credentialExpiresAt: 'credential-expiration',
  headers: 'headers',
  params: 'params',
  signHost: 'sign-host',
  forcePathStyle: 'force-path-style',
};

/** Where a key came from, so a refused key points at the input that produced it. */
export type KeyOrigin = 'key' | 'keys' | 'files';

export interface ErrorContext {
  key: string;
  origin: KeyOrigin;
  /** Env var names when the credentials did not come from inputs. */
  credentialSource?: string;
  /** TOS: `domain` was passed to the core as a custom-domain endpoint. */
  endpointIsDomain?: boolean;
}

/** Re-words a core refusal in terms of the action's inputs. */
export function fromPresignError(e: PresignError, c: ErrorContext): InputError {
  let input = FIELD_TO_INPUT[e.field] ?? e.field;
  if (e.field === 'endpoint' && c.endpointIsDomain) input = 'domain';
  const prefix = `${e.field}: `;
  let msg = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  // The core's option names, spelled as this action's inputs.
  msg = msg.replace(/\b(securityToken|secretId|secretKey|credentialExpiresAt|startTime|signHost|forcePathStyle)\b/g, (n) => FIELD_TO_INPUT[n]);
  msg = msg.replace(/, or set keySimplifyCheck: false to sign a bucket-level request on purpose/, '');
  if (e.field === 'key') {
    input = c.origin;
    if (!msg.includes(JSON.stringify(c.key))) msg = `key ${JSON.stringify(c.key)}: ${msg}`;
  }
  if ((e.field === 'secretId' || e.field === 'secretKey' || e.field === 'securityToken') && c.credentialSource) {
    msg = `(taken from the environment, ${c.credentialSource}) ${msg}`;
  }
  return new InputError(input, msg);
}

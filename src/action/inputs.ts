/**
 * Parsing of the action's inputs into core values. Pure (no @actions imports) so every rule
 * here can be tested directly; `main.ts` feeds it `core.getInput`.
 *
 * Every refusal is an `InputError` naming the action input (kebab-case, as in action.yml) and
 * the fix. Messages never echo secret-key or security-token values.
 */
import type { PresignError } from '../core/errors';
import { PROVIDERS, Provider } from '../core/types';
import { FieldNames, renderPresignError } from '../shared/errors';
import { parseDuration, parseHeaderLines, parseParamLines, parseTime, quote, ValueError } from '../shared/values';

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

/**
 * The action's default lifetime, whatever the provider: one hour is enough for the later steps
 * and jobs of one workflow run to use a URL, and short enough that a link copied out of a log
 * or summary dies soon.
 */
export const DEFAULT_EXPIRES_SECONDS = 3600;

function oneOf<T extends string>(r: InputReader, name: string, allowed: readonly T[], dflt: T): T {
  const raw = r.get(name);
  if (raw === '') return dflt;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v))
    throw new InputError(name, `${quote(raw)} is not one of ${allowed.join(', ')}; use one of them (default ${dflt})`);
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
  throw new InputError(name, `${quote(raw)} is not a boolean; use 'true' or 'false' (default '${dflt}')`);
}

/** Runs a shared parser, its refusal named with the action input. */
function named<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ValueError) throw new InputError(name, e.message);
    throw e;
  }
}

/** Lifetime: `600`, `30m`, `12h`, `7d` (the CLI's syntax); default 3600. Range checks are the core's. */
export function expires(r: InputReader): number {
  const raw = r.get('expires');
  return raw === '' ? DEFAULT_EXPIRES_SECONDS : named('expires', () => parseDuration(raw));
}

/** Unix seconds or an ISO 8601 time; undefined when not given. */
export function startTime(r: InputReader): number | undefined {
  const raw = r.get('start-time');
  return raw === '' ? undefined : named('start-time', () => parseTime(raw));
}

/** `Name: value` per line. Names keep their spelling; duplicates (any case) are refused. */
export function headers(r: InputReader): Record<string, string> {
  return named('headers', () => parseHeaderLines(r.lines('headers')));
}

/** `name=value` per line (the value may be empty, `name=` or `name`). */
export function params(r: InputReader): Record<string, string> {
  return named('params', () => parseParamLines(r.lines('params')));
}

// ---- key-prefix templates ------------------------------------------------------------------

/**
 * What `key-prefix` placeholders are filled from (the runner's GITHUB_* variables and the event
 * payload, read in context.ts). Raw values: each placeholder checks its own before use.
 */
export interface TemplateContext {
  owner?: string;
  repo?: string;
  ref?: string;
  sha?: string;
  runId?: string;
  runNumber?: string;
  runAttempt?: string;
  eventName?: string;
  /** `pull_request.number` of the event payload, as found (any JSON type). */
  prNumber?: unknown;
}

/** refs/heads/main → main, refs/tags/v1 → v1, refs/pull/7/merge → 7/merge (as GITHUB_REF_NAME). */
export function refName(ref: string): string {
  const m = /^refs\/(?:heads|tags|pull)\/(.+)$/.exec(ref);
  return m ? m[1] : ref;
}

interface Placeholder {
  from: string;
  value: (c: TemplateContext) => unknown;
  /** What a value must look like, and how that is said. */
  shape: RegExp;
  shapeText: string;
}

const NUMBER = { shape: /^[1-9]\d{0,15}$/, shapeText: 'a positive whole number' };
/** GitHub owner and repository names; nothing that could add a path segment or a control character. */
const NAME = { shape: /^[A-Za-z0-9_.-]{1,100}$/, shapeText: 'a GitHub owner or repository name' };
/** Git ref names exclude controls, spaces, `..`, `~^:?*[\` (git check-ref-format); so do these. */
const REF = { shape: /^(?!.*\.\.)(?!\/)(?!.*\/\/)[^\u0000-\u0020\u007f~^:?*[\\]{1,255}$/, shapeText: 'a git ref name' };
const SHA = { shape: /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, shapeText: 'a full commit SHA' };

export const PLACEHOLDERS: Record<string, Placeholder> = {
  owner: { from: 'GITHUB_REPOSITORY', value: (c) => c.owner, ...NAME },
  repo: { from: 'GITHUB_REPOSITORY', value: (c) => c.repo, ...NAME },
  repository: {
    from: 'GITHUB_REPOSITORY',
    value: (c) => (c.owner && c.repo ? `${c.owner}/${c.repo}` : undefined),
    shape: /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/,
    shapeText: 'owner/repository',
  },
  ref_name: { from: 'GITHUB_REF', value: (c) => (c.ref ? refName(c.ref) : undefined), ...REF },
  sha: { from: 'GITHUB_SHA', value: (c) => c.sha, ...SHA },
  short_sha: {
    from: 'GITHUB_SHA',
    value: (c) => (c.sha && SHA.shape.test(c.sha) ? c.sha.slice(0, 7) : c.sha),
    shape: /^[0-9a-f]{7}$|^[0-9a-f]{40}(?:[0-9a-f]{24})?$/,
    shapeText: SHA.shapeText,
  },
  run_id: { from: 'GITHUB_RUN_ID', value: (c) => c.runId, ...NUMBER },
  run_number: { from: 'GITHUB_RUN_NUMBER', value: (c) => c.runNumber, ...NUMBER },
  run_attempt: { from: 'GITHUB_RUN_ATTEMPT', value: (c) => c.runAttempt, ...NUMBER },
  event: { from: 'GITHUB_EVENT_NAME', value: (c) => c.eventName, shape: /^[a-z_]{1,64}$/, shapeText: 'an event name' },
  pr_number: { from: 'the pull_request event payload', value: (c) => c.prNumber, ...NUMBER },
};

/**
 * Fills `{name}` placeholders; any other `{…}` is refused so a typo cannot reach a key. Every
 * value is checked to have its documented shape (a number is a number), so nothing from the
 * environment or an event payload can put a path, a newline or markup into the keys.
 */
export function renderPrefix(template: string, c: TemplateContext): string {
  return template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    const p = Object.prototype.hasOwnProperty.call(PLACEHOLDERS, name) ? PLACEHOLDERS[name] : undefined;
    if (!p) {
      throw new InputError(
        'key-prefix',
        `unknown placeholder {${quote(name).slice(1, -1)}}; use ${Object.keys(PLACEHOLDERS)
          .map((n) => `{${n}}`)
          .join(', ')}`,
      );
    }
    const v = p.value(c);
    if (v === undefined || v === null || v === '') {
      throw new InputError(
        'key-prefix',
        `{${name}} has no value here (it comes from ${p.from}); remove it or run inside a workflow that sets it`,
      );
    }
    const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : undefined;
    if (text === undefined || !p.shape.test(text)) {
      throw new InputError(
        'key-prefix',
        `{${name}} must be ${p.shapeText}, but ${p.from} holds ${typeof v === 'string' ? quote(v, 80) : `a ${v === null ? 'null' : typeof v}`}; remove the placeholder or fix the value`,
      );
    }
    return text;
  });
}

// ---- core errors → action inputs -----------------------------------------------------------

/** `PresignInput` field (and the phrases of the core's advice that name one) → action input. */
export const ACTION_FIELDS: FieldNames = {
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
  // The action has no way to sign a bucket-level request; the core's hint about it is dropped.
  keySimplifyCheck: null,
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

/** A core refusal in terms of the action's inputs. */
export function fromPresignError(e: PresignError, c: ErrorContext): InputError {
  const r = renderPresignError(e, ACTION_FIELDS);
  let input = r.field;
  let msg = r.message;
  if (e.field === 'endpoint' && c.endpointIsDomain) input = 'domain';
  if (e.field === 'key') {
    input = c.origin;
    if (!msg.includes(JSON.stringify(c.key))) msg = `key ${quote(c.key)}: ${msg}`;
  }
  if ((e.field === 'secretId' || e.field === 'secretKey' || e.field === 'securityToken') && c.credentialSource) {
    msg = `(taken from the environment, ${c.credentialSource}) ${msg}`;
  }
  return new InputError(input, msg);
}

/**
 * Turning command-line text into core input: durations, times, `Name: value` headers,
 * `name=value` params, credentials. Every refusal is a UsageError naming the option (exit 2).
 */
import { parseArgs, ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { credentialEnvHint, credentialsFromEnv, Credentials } from '../core/credentials';
import { PresignError } from '../core/errors';
import { Provider, PROVIDERS } from '../core/types';

/** A mistake in how the command was called: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(readonly option: string, message: string) {
    super(option ? `${option}: ${message}` : message);
    this.name = 'UsageError';
  }
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `45s`, `30m`, `12h`, `7d` -> seconds. */
export function parseDuration(value: string, option: string): number {
  const m = /^(\d{1,12})([smhd]?)$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * UNIT[m[2] || 's'] : NaN;
  if (!m || !(seconds > 0)) {
    throw new UsageError(option, `${JSON.stringify(value)} is not a duration; use seconds (3600) or a number with s, m, h or d (30m, 12h, 7d)`);
  }
  return seconds;
}

/** Unix seconds or an ISO 8601 time -> unix seconds. */
export function parseTime(value: string, option: string): number {
  if (/^\d{1,12}$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(option, `${JSON.stringify(value)} is not a time; use unix seconds or ISO 8601 (2026-01-01T12:00:00Z)`);
  return Math.floor(ms / 1000);
}

/** `Name: value` (curl's form) -> record. The value is trimmed, as HTTP clients send it. */
export function parseHeaders(values: string[] | undefined, option = '--header'): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const h of values ?? []) {
    const colon = h.indexOf(':');
    const name = colon < 0 ? '' : h.slice(0, colon).trim();
    if (!name) throw new UsageError(option, `${JSON.stringify(h)} is not "Name: value"; e.g. --header 'Content-Type: text/plain'`);
    const lower = name.toLowerCase();
    if (seen.has(lower)) throw new UsageError(option, `${name} is given twice; give each header once`);
    seen.set(lower, name);
    out[name] = h.slice(colon + 1).trim();
  }
  return out;
}

/** `name=value` -> record; a bare `name` is an empty value (`?acl`). */
export function parseParams(values: string[] | undefined, option = '--param'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of values ?? []) {
    const eq = p.indexOf('=');
    const name = eq < 0 ? p : p.slice(0, eq);
    if (!name) throw new UsageError(option, `${JSON.stringify(p)} has no name; use name=value, e.g. --param response-content-type=text/plain`);
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new UsageError(option, `${name} is given twice; give each parameter once`);
    out[name] = eq < 0 ? '' : p.slice(eq + 1);
  }
  return out;
}

export function parseProvider(value: string | undefined): Provider {
  if (value === undefined) return 'cos';
  if (!PROVIDERS.includes(value as Provider)) throw new UsageError('--provider', `unknown provider ${JSON.stringify(value)}; use cos, tos or s3`);
  return value as Provider;
}

/** `parseArgs`, with its errors turned into one-line UsageErrors that name the option. */
export function parseCommandLine<T extends OptionsConfig>(args: string[], options: T): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const opt = /'(-[^' ]+)/.exec(msg)?.[1] ?? '';
    // Node's wording names the option already; keep the first line only.
    throw new UsageError('', opt && /Unknown option/.test(msg) ? `unknown option ${opt}; see --help` : msg.replace(/\.$/, ''));
  }
}

export interface ResolvedCredentials extends Credentials {
  /** Whether they came from the command line (so field names map to options, not variables). */
  fromFlags: boolean;
  idName: string;
  keyName: string;
  tokenName: string;
}

/**
 * Credentials from `--secret-id/--secret-key/--security-token`, or else from the environment
 * variables the action reads. Flags and variables are never mixed.
 */
export function resolveCredentials(
  v: { 'secret-id'?: string; 'secret-key'?: string; 'security-token'?: string },
  env: NodeJS.ProcessEnv,
  provider: Provider,
  warn: (line: string) => void,
): ResolvedCredentials {
  const id = v['secret-id'];
  const key = v['secret-key'];
  const token = v['security-token'];
  if (id !== undefined || key !== undefined) {
    if (id === undefined) throw new UsageError('--secret-id', 'is required with --secret-key');
    if (key === undefined) throw new UsageError('--secret-key', 'is required with --secret-id');
    warn(`${token !== undefined ? '--secret-key and --security-token' : '--secret-key'} on the command line end${token !== undefined ? '' : 's'} up in shell history and process lists; prefer the environment (${credentialEnvHint(provider)})`);
    return {
      secretId: id, secretKey: key, ...(token !== undefined ? { securityToken: token } : {}), source: 'command line',
      fromFlags: true, idName: '--secret-id', keyName: '--secret-key', tokenName: '--security-token',
    };
  }
  if (token !== undefined) throw new UsageError('--security-token', 'goes with --secret-id and --secret-key; with credentials from the environment, set the token variable instead');
  const c = credentialsFromEnv(env, provider);
  if (!c) {
    throw new UsageError('--secret-id', `no ${provider.toUpperCase()} credentials: set ${credentialEnvHint(provider)} (plus the session token variable for temporary keys), or pass --secret-id and --secret-key`);
  }
  const [idName, keyName, tokenName = 'token'] = c.source.split('/');
  return { ...c, fromFlags: false, idName, keyName, tokenName };
}

/** Core input field -> the option (or argument, or variable) a person typed. */
export function optionFor(field: string, creds?: ResolvedCredentials): string {
  switch (field) {
    case 'secretId': return creds?.idName ?? '--secret-id';
    case 'secretKey': return creds?.keyName ?? '--secret-key';
    case 'securityToken': return creds?.tokenName ?? '--security-token';
    case 'bucket': return '<bucket>';
    case 'key': return '<key>';
    case 'url': return '<url>';
    case 'startTime': return '--start';
    case 'headers': return '--header';
    case 'params': return '--param';
    case 'signHost': return '--no-sign-host';
    case 'keySimplifyCheck': return '--allow-root-key';
    case 'isCustomDomain': return '--custom-domain';
    case 'forcePathStyle': return '--path-style';
    case 'credentialExpiresAt': return '--credential-expires-at';
    case 'input': return '';
    default: return '--' + field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  }
}

/** Core wording that names input fields, said with the CLI's option names instead. */
const PHRASES: Array<[RegExp, string]> = [
  [/set keySimplifyCheck: false/g, 'pass --allow-root-key'],
  [/isCustomDomain is true/g, '--custom-domain is given'],
  [/remove signHost/g, 'remove --no-sign-host'],
  [/signHost is false/g, '--no-sign-host is given'],
  [/as securityToken/g, 'as --security-token'],
  [/change bucket\/region\/domain\/endpoint/g, 'change <bucket>, --region, --domain or --endpoint'],
  [/use domain for a custom domain/g, 'use --domain for a custom domain'],
  [/use endpoint with isCustomDomain: true/g, 'use --endpoint with --custom-domain'],
  [/\(use endpoint\)/g, '(use --endpoint)'],
  [/\(use domain\)/g, '(use --domain)'],
  [/drop one of them/g, 'drop one of them'],
];

/** A core PresignError as the CLI says it: the option first, then the core's advice. */
export function presignErrorToUsage(e: PresignError, creds?: ResolvedCredentials): UsageError {
  let msg = e.message.startsWith(e.field + ': ') ? e.message.slice(e.field.length + 2) : e.message;
  for (const [re, s] of PHRASES) msg = msg.replace(re, s);
  const opt = optionFor(e.field, creds);
  return new UsageError(opt && creds && !creds.fromFlags && /^[A-Z]/.test(opt) ? `${opt} (from the environment)` : opt, msg);
}

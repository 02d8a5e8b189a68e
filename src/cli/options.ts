/**
 * Turning command-line text into core input (the parsers themselves are shared with the
 * action, in src/shared/values.ts) and core refusals into the CLI's option names. Every
 * refusal is a UsageError naming the option (exit 2).
 */
import { parseArgs, ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { credentialEnvHint, credentialsFromEnv, Credentials } from '../core/credentials';
import { PresignError } from '../core/errors';
import { Provider, PROVIDERS } from '../core/types';
import { FieldNames, renderPresignError } from '../shared/errors';
import {
  parseDuration as sharedDuration,
  parseHeaderLines,
  parseParamLines,
  parseTime as sharedTime,
  quote,
  quoted,
  ValueError,
} from '../shared/values';

/** A mistake in how the command was called: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(option ? `${option}: ${message}` : message);
    this.name = 'UsageError';
  }
}

/** Runs a shared parser, its refusal named with the option. */
function named<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ValueError) throw new UsageError(option, e.message);
    throw e;
  }
}

/** `3600`, `45s`, `30m`, `12h`, `7d` -> seconds (the action's syntax too). */
export function parseDuration(value: string, option: string): number {
  return named(option, () => sharedDuration(value));
}

/** Unix seconds or an ISO 8601 time -> unix seconds. */
export function parseTime(value: string, option: string): number {
  return named(option, () => sharedTime(value));
}

/** `Name: value` (curl's form) -> record. The value is trimmed, as HTTP clients send it. */
export function parseHeaders(values: string[] | undefined, option = '--header'): Record<string, string> {
  return named(option, () => parseHeaderLines(values ?? [], quoted));
}

/** `name=value` -> record; a bare `name` is an empty value (`?acl`). */
export function parseParams(values: string[] | undefined, option = '--param'): Record<string, string> {
  return named(option, () => parseParamLines(values ?? [], quoted));
}

export function parseProvider(value: string | undefined): Provider {
  if (value === undefined) return 'cos';
  if (!PROVIDERS.includes(value as Provider))
    throw new UsageError('--provider', `unknown provider ${quote(value)}; use cos, tos or s3`);
  return value as Provider;
}

/** `parseArgs`, with its errors turned into one-line UsageErrors that name the option. */
export function parseCommandLine<T extends OptionsConfig>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const opt = /'(-[^' ]+)/.exec(msg)?.[1] ?? '';
    // Node's wording names the option already; keep the first line only.
    throw new UsageError(
      '',
      opt && /Unknown option/.test(msg) ? `unknown option ${opt}; see --help` : msg.replace(/\.$/, ''),
    );
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
    warn(
      `${token !== undefined ? '--secret-key and --security-token' : '--secret-key'} on the command line end${token !== undefined ? '' : 's'} up in shell history and process lists; prefer the environment (${credentialEnvHint(provider)})`,
    );
    return {
      secretId: id,
      secretKey: key,
      ...(token !== undefined ? { securityToken: token } : {}),
      source: 'command line',
      fromFlags: true,
      idName: '--secret-id',
      keyName: '--secret-key',
      tokenName: '--security-token',
    };
  }
  if (token !== undefined)
    throw new UsageError(
      '--security-token',
      'goes with --secret-id and --secret-key; with credentials from the environment, set the token variable instead',
    );
  const c = credentialsFromEnv(env, provider);
  if (!c) {
    throw new UsageError(
      '--secret-id',
      `no ${provider.toUpperCase()} credentials: set ${credentialEnvHint(provider, env)} (plus the session token variable for temporary keys), or pass --secret-id and --secret-key`,
    );
  }
  const [idName, keyName, tokenName = 'token'] = c.source.split('/');
  return { ...c, fromFlags: false, idName, keyName, tokenName };
}

/**
 * Core field (and the phrases of the core's advice that name one) -> what a person typed on
 * the command line. Credentials from the environment are named by their variable instead.
 */
export const CLI_FIELDS: FieldNames = {
  provider: '--provider',
  secretId: '--secret-id',
  secretKey: '--secret-key',
  securityToken: '--security-token',
  bucket: '<bucket>',
  key: '<key>',
  url: '<url>',
  region: '--region',
  endpoint: '--endpoint',
  domain: '--domain',
  isCustomDomain: '--custom-domain',
  accelerate: '--accelerate',
  scheme: '--scheme',
  method: '--method',
  expires: '--expires',
  startTime: '--start',
  credentialExpiresAt: '--credential-expires-at',
  headers: '--header',
  params: '--param',
  signHost: '--no-sign-host',
  forcePathStyle: '--path-style',
  keySimplifyCheck: '--allow-root-key',
  input: '',
  'set keySimplifyCheck: false': 'pass --allow-root-key',
  'isCustomDomain is true': '--custom-domain is given',
  'isCustomDomain: true': '--custom-domain',
  'signHost is false': '--no-sign-host is given',
  'bucket/region/domain/endpoint': '<bucket>, --region, --domain or --endpoint',
  'use domain for a custom domain': 'use --domain for a custom domain',
  'use endpoint with': 'use --endpoint with',
  '(use endpoint)': '(use --endpoint)',
  '(use domain)': '(use --domain)',
};

/** Core input field -> the option (or argument, or variable) a person typed. */
export function optionFor(field: string, creds?: ResolvedCredentials): string {
  if (creds) {
    if (field === 'secretId') return creds.idName;
    if (field === 'secretKey') return creds.keyName;
    if (field === 'securityToken') return creds.tokenName;
  }
  const mapped = CLI_FIELDS[field];
  return typeof mapped === 'string' ? mapped : '--' + field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** A core PresignError as the CLI says it: the option first, then the core's advice. */
export function presignErrorToUsage(e: PresignError, creds?: ResolvedCredentials): UsageError {
  const { message } = renderPresignError(e, CLI_FIELDS);
  const opt = optionFor(e.field, creds);
  return new UsageError(
    opt && creds && !creds.fromFlags && /^[A-Z]/.test(opt) ? `${opt} (from the environment)` : opt,
    message,
  );
}

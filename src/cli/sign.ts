/** `cos-presign url` and `cos-presign auth`: options -> PresignInput -> core -> one line of output. */
import { isPresignError } from '../core/errors';
import { cosAuthorization, presign } from '../core/presign';
import type { PresignInput } from '../core/types';
import { AUTH_HELP, URL_HELP } from './help';
import { Io } from './io';
import {
  parseCommandLine,
  parseDuration,
  parseHeaders,
  parseParams,
  parseProvider,
  parseTime,
  presignErrorToUsage,
  resolveCredentials,
  ResolvedCredentials,
  UsageError,
} from './options';
import { assembleKey } from '../shared/keys';
import { curlCommand, UPLOAD_PLACEHOLDER } from '../shared/shell';
import { terminalJson } from '../shared/text';
import { quote } from '../shared/values';

/**
 * The CLI's default lifetime, whatever the provider: one hour, as the action's, so the same
 * request gives the same URL lifetime everywhere (the library keeps each SDK's own default).
 */
export const CLI_DEFAULT_EXPIRES = '1h';

/** Where the bucket is: the same flags for every command that signs (url, auth, upload). */
export const TARGET_OPTIONS = {
  provider: { type: 'string', short: 'p' },
  region: { type: 'string', short: 'r' },
  domain: { type: 'string' },
  accelerate: { type: 'boolean' },
  endpoint: { type: 'string' },
  'custom-domain': { type: 'boolean' },
  'path-style': { type: 'boolean' },
  scheme: { type: 'string' },
} as const;

/** Credentials on the command line (the environment is preferred; see resolveCredentials). */
export const CREDENTIAL_OPTIONS = {
  'secret-id': { type: 'string' },
  'secret-key': { type: 'string' },
  'security-token': { type: 'string' },
  'credential-expires-at': { type: 'string' },
} as const;

const SIGNING = {
  ...TARGET_OPTIONS,
  method: { type: 'string', short: 'X' },
  expires: { type: 'string', short: 'e' },
  start: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  param: { type: 'string', multiple: true },
  'no-sign-host': { type: 'boolean' },
  'allow-root-key': { type: 'boolean' },
  ...CREDENTIAL_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

const URL_OPTIONS = {
  ...SIGNING,
  json: { type: 'boolean' },
  curl: { type: 'boolean' },
  'upload-file': { type: 'string' },
} as const;

interface SigningValues {
  provider?: string;
  region?: string;
  domain?: string;
  accelerate?: boolean;
  endpoint?: string;
  'custom-domain'?: boolean;
  'path-style'?: boolean;
  scheme?: string;
  method?: string;
  expires?: string;
  start?: string;
  header?: string[];
  param?: string[];
  'no-sign-host'?: boolean;
  'allow-root-key'?: boolean;
  'secret-id'?: string;
  'secret-key'?: string;
  'security-token'?: string;
  'credential-expires-at'?: string;
}

function objectArgs(positionals: string[], command: string): { bucket: string; key: string } {
  if (positionals.length !== 2) {
    throw new UsageError(
      '',
      `${command} takes two arguments, <bucket> <key>; got ${positionals.length}. Quote a key with spaces; see --help`,
    );
  }
  return { bucket: positionals[0], key: positionals[1] };
}

function buildInput(
  v: SigningValues,
  bucket: string,
  key: string,
  io: Io,
): { input: PresignInput; creds: ResolvedCredentials } {
  const provider = parseProvider(v.provider);
  if (v.scheme !== undefined && v.scheme !== 'https' && v.scheme !== 'http')
    throw new UsageError('--scheme', `${quote(v.scheme)} is not https or http`);
  const input: PresignInput = {
    provider,
    secretId: '',
    secretKey: '',
    bucket,
    key,
    ...(v.region !== undefined ? { region: v.region } : {}),
    ...(v.method !== undefined ? { method: v.method as PresignInput['method'] } : {}),
    expires: parseDuration(v.expires ?? CLI_DEFAULT_EXPIRES, '--expires'),
    ...(v.start !== undefined ? { startTime: parseTime(v.start, '--start') } : {}),
    ...(v.header ? { headers: parseHeaders(v.header) } : {}),
    ...(v.param ? { params: parseParams(v.param) } : {}),
    ...(v['no-sign-host'] ? { signHost: false } : {}),
    ...(v['allow-root-key'] ? { keySimplifyCheck: false } : {}),
    ...(v.scheme !== undefined ? { scheme: v.scheme as 'https' | 'http' } : {}),
    ...(v.domain !== undefined ? { domain: v.domain } : {}),
    ...(v.accelerate ? { accelerate: true } : {}),
    ...(v.endpoint !== undefined ? { endpoint: v.endpoint } : {}),
    ...(v['custom-domain'] ? { isCustomDomain: true } : {}),
    ...(v['path-style'] ? { forcePathStyle: true } : {}),
    ...(v['credential-expires-at'] !== undefined
      ? { credentialExpiresAt: parseTime(v['credential-expires-at'], '--credential-expires-at') }
      : {}),
  };
  const creds = resolveCredentials(v, io.env, provider, io.warn);
  input.secretId = creds.secretId;
  input.secretKey = creds.secretKey;
  if (creds.securityToken !== undefined) input.securityToken = creds.securityToken;
  return { input, creds };
}

function callCore<T>(f: () => T, creds: ResolvedCredentials): T {
  try {
    return f();
  } catch (e) {
    throw isPresignError(e) ? presignErrorToUsage(e, creds) : e;
  }
}

export function urlCommand(args: string[], io: Io): number {
  const { values: v, positionals } = parseCommandLine(args, URL_OPTIONS);
  if (v.help) return (io.out(URL_HELP), 0);
  const { bucket, key } = objectArgs(positionals, 'url');
  if (v.json && v.curl) throw new UsageError('--curl', 'cannot be combined with --json; pick one output');
  if (v['upload-file'] !== undefined && !v.curl) throw new UsageError('--upload-file', 'only makes sense with --curl');
  const { input, creds } = buildInput(v, bucket, key, io);
  for (const w of assembleKey('', key, input.provider ?? 'cos', { key: '<key>' }).warnings) io.warn(w);
  const r = callCore(() => presign(input), creds);
  if (v['upload-file'] !== undefined && r.method !== 'PUT' && r.method !== 'POST') {
    throw new UsageError('--upload-file', `a ${r.method} request has no body; use it with --method PUT or POST`);
  }
  for (const w of r.warnings) io.warn(w);
  if (v.json) {
    io.out(
      terminalJson(
        {
          url: r.url,
          method: r.method,
          headers: r.headers,
          expiresAt: r.expiresAt.toISOString(),
          warnings: r.warnings,
        },
        2,
      ) + '\n',
    );
  } else if (v.curl) {
    if (r.method === 'PUT' && v['upload-file'] === undefined)
      io.note(`replace ${UPLOAD_PLACEHOLDER} with the file to upload, or pass --upload-file`);
    io.out(curlCommand(r, { uploadFile: v['upload-file'] }) + '\n');
  } else {
    io.out(r.url + '\n');
  }
  return 0;
}

export function authCommand(args: string[], io: Io): number {
  const { values: v, positionals } = parseCommandLine(args, SIGNING);
  if (v.help) return (io.out(AUTH_HELP), 0);
  const { bucket, key } = objectArgs(positionals, 'auth');
  const { input, creds } = buildInput(v, bucket, key, io);
  for (const w of assembleKey('', key, input.provider ?? 'cos', { key: '<key>' }).warnings) io.warn(w);
  const auth = callCore(() => cosAuthorization(input), creds);
  if (input.securityToken !== undefined)
    io.note('temporary credentials: send the token as the x-cos-security-token header with this Authorization');
  io.out(auth + '\n');
  return 0;
}

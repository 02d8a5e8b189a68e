/**
 * `url` and `auth` with no stored secret: when neither --secret-id nor the credential variables
 * are set, but the provider's SDK OIDC variables are (TKE_*, AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE,
 * VOLCENGINE_OIDC_*), the token file is exchanged for temporary credentials first. They reach the
 * command as its usual credential variables, with --credential-expires-at, so the URL cannot
 * outlive them. The same precedence as the SDKs: static credentials win over web identity.
 */
import { CREDENTIAL_ENV, credentialsFromEnv } from '../core/credentials';
import { DEFAULT_EXPIRES } from '../core/validate';
import { DEFAULT_AUDIENCE, isStsError, obtainCredentials, oidcFromEnv, OIDC_ENV, sessionDuration, sessionName, tokenFromFile } from '../credentials';
import { Io } from './io';
import { parseDuration, parseProvider, UsageError } from './options';

/** STS endpoint overrides: ours for every provider, then the SDKs' own (AWS, Volcengine). */
const ENDPOINT_VARS = ['COS_PRESIGN_STS_ENDPOINT', 'AWS_ENDPOINT_URL_STS'];

function flag(args: string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === long || (short && args[i] === short)) return args[i + 1];
    if (args[i].startsWith(long + '=')) return args[i].slice(long.length + 1);
  }
  return undefined;
}

export async function withOidcCredentials(command: string, args: string[], io: Io): Promise<{ args: string[]; io: Io }> {
  const same = { args, io };
  if (command !== 'url' && command !== 'auth') return same;
  if (args.some((a) => /^--(secret-id|secret-key|security-token|help)(=|$)|^-h$/.test(a))) return same;
  const provider = parseProvider(flag(args, '--provider', '-p'));
  if (credentialsFromEnv(io.env, provider)) return same;
  const names = OIDC_ENV[provider];
  let o;
  try {
    o = oidcFromEnv(io.env, provider);
  } catch (e) {
    if (isStsError(e)) throw new UsageError(e.field, e.message.slice(e.field.length + 2));
    throw e;
  }
  if (!o) return same;

  const expiresFlag = flag(args, '--expires', '-e');
  const lifetime = expiresFlag !== undefined ? parseDuration(expiresFlag, '--expires') : DEFAULT_EXPIRES[provider];
  const duration = sessionDuration(provider, 'oidc', lifetime);
  if (duration.note) io.warn(duration.note.replace('role-duration', 'the session'));
  const endpoint = o.endpoint ?? ENDPOINT_VARS.map((n) => io.env[n]).find((v) => v);
  let tmp;
  try {
    tmp = await obtainCredentials({
      provider,
      webIdentityToken: tokenFromFile(o.tokenFile, o.tokenFileVar),
      roleArn: o.roleArn,
      oidcProviderId: o.providerId,
      audience: DEFAULT_AUDIENCE[provider],
      roleSessionName: o.roleSessionName ?? sessionName(`cos-presign-cli-${Date.now()}`),
      durationSeconds: duration.seconds,
      stsEndpoint: endpoint,
      stsRegion: provider === 'cos' ? o.region ?? flag(args, '--region', '-r') ?? 'ap-guangzhou' : undefined,
    });
  } catch (e) {
    if (!isStsError(e)) throw e;
    // The action's input names, said as the variables a CLI user set.
    const variable: Record<string, string | undefined> = { 'role-arn': names.role, 'oidc-provider-id': names.provider, 'id-token': names.token, 'role-session-name': names.session, 'sts-endpoint': endpoint ? 'the STS endpoint' : undefined };
    throw new Error(`${variable[e.field] ?? e.field}: ${e.message.slice(e.field.length + 2)}`);
  }
  const expiresAt = tmp.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  io.note(`temporary credentials from ${tmp.api} (${o.source}), valid until ${expiresAt}`);
  const f = CREDENTIAL_ENV[provider][0];
  return {
    args: flag(args, '--credential-expires-at') === undefined ? ['--credential-expires-at', expiresAt, ...args] : args,
    io: { ...io, env: { ...io.env, [f.id]: tmp.secretId, [f.key]: tmp.secretKey, [f.tokens[0]]: tmp.securityToken } },
  };
}

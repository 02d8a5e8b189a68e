/**
 * `url` and `auth` with no stored secret: when neither --secret-id nor the credential variables
 * are set, but the provider's SDK OIDC variables are (TKE_*, AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE,
 * VOLCENGINE_OIDC_*), the token file is exchanged for temporary credentials first. They reach the
 * command as its usual credential variables, with --credential-expires-at, so the URL cannot
 * outlive them. The same precedence as the SDKs: static credentials win over web identity.
 */
import { CREDENTIAL_ENV, credentialsFromEnv } from '../core/credentials';
import { DEFAULT_EXPIRES } from '../core/resolve/window';
import { isStsError } from '../credentials/errors';
import { OIDC_ENV } from '../credentials/token-file';
import { Io } from './io';
import { parseDuration, parseProvider, UsageError } from './options';

function flag(args: string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === long || (short && args[i] === short)) return args[i + 1];
    if (args[i].startsWith(long + '=')) return args[i].slice(long.length + 1);
  }
  return undefined;
}

export async function withOidcCredentials(
  command: string,
  args: string[],
  io: Io,
): Promise<{ args: string[]; io: Io }> {
  const same = { args, io };
  if (command !== 'url' && command !== 'auth') return same;
  if (args.some((a) => /^--(secret-id|secret-key|security-token|help)(=|$)|^-h$/.test(a))) return same;
  const provider = parseProvider(flag(args, '--provider', '-p'));
  if (credentialsFromEnv(io.env, provider)) return same;
  const names = OIDC_ENV[provider];
  if (!io.env[names.role] && !io.env[names.token]) return same;
  const expiresFlag = flag(args, '--expires', '-e');
  const urlLifetime = expiresFlag !== undefined ? parseDuration(expiresFlag, '--expires') : DEFAULT_EXPIRES[provider];
  // Loaded only now: the STS clients (undici, p-retry) cost every other command start-up time.
  const { oidcCredentialsFromEnv } = await import('../credentials/from-env');
  let r;
  try {
    r = await oidcCredentialsFromEnv(io.env, provider, { urlLifetime, region: flag(args, '--region', '-r') });
  } catch (e) {
    if (!isStsError(e)) throw e;
    const msg = e.message.slice(e.field.length + 2);
    // A variable group set by half is a usage error; a refusal by STS is not.
    if (e.code === '') throw new UsageError(e.field, msg);
    throw new Error(`${e.field}: ${msg}`);
  }
  if (!r) return same;
  if (r.note) io.warn(r.note);
  const expiresAt = r.credentials.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  io.note(`temporary credentials from ${r.credentials.api} (${r.source}), valid until ${expiresAt}`);
  const f = CREDENTIAL_ENV[provider][0];
  return {
    args: flag(args, '--credential-expires-at') === undefined ? ['--credential-expires-at', expiresAt, ...args] : args,
    io: {
      ...io,
      env: {
        ...io.env,
        [f.id]: r.credentials.secretId,
        [f.key]: r.credentials.secretKey,
        [f.tokens[0]]: r.credentials.securityToken,
      },
    },
  };
}

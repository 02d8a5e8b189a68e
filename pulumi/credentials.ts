/**
 * Where the provider's credentials come from, read when create/update run (never captured):
 * explicit inputs, else the environment's keys, else temporary keys minted from the OIDC
 * variables of the provider's SDK. Each secret met on the way is added to the run's list, so
 * that whatever is printed or thrown afterwards is redacted of it.
 * Methods of the provider (gathered in `provider.ts`): they reference nothing from this module.
 */
import type { Credentials, Provider } from '../src/index';
import type { EnvOidcResult } from '../src/credentials/from-env';
import type { ProviderPart } from './types';

export const credentialMethods: ProviderPart<'credentials' | 'temporaryCredentials'> = {
  async credentials(props, secrets) {
    if (props.secretId !== undefined && props.secretId !== '') {
      return {
        secretId: props.secretId as string,
        secretKey: props.secretKey as string,
        ...(props.securityToken ? { securityToken: props.securityToken as string } : {}),
      };
    }
    const core = this.core();
    const provider = (props.provider ?? 'cos') as Provider;
    // The SDKs' precedence: static keys in the environment win over web identity.
    const creds: Credentials | undefined = core.credentialsFromEnv(process.env, provider);
    if (creds) return { ...creds, source: `credentials read from ${creds.source} in the environment of pulumi up` };
    const minted = await this.temporaryCredentials(props, secrets);
    if (minted) return minted;
    throw new Error(
      `no credentials for provider ${JSON.stringify(provider)}: set ${core.credentialEnvHint(provider)} in the environment of pulumi up, or the OIDC variables of the provider's SDK (a role and a token file, see docs/credentials.md), or pass secretId and secretKey`,
    );
  },

  async temporaryCredentials(props, secrets) {
    // The OIDC token itself: no STS message quotes it, but nothing printed relies on that.
    for (const [name, file] of Object.entries(process.env)) {
      if (!/_TOKEN_FILE$/.test(name) || !file) continue;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- serialized code: see the header
        secrets.push([(require('node:fs') as typeof import('node:fs')).readFileSync(file, 'utf8'), `${name} token`]);
      } catch {
        /* unreadable: the exchange below names the variable */
      }
    }
    const provider = (props.provider ?? 'cos') as Provider;
    let r: EnvOidcResult | undefined;
    try {
      // The session is sized to the URL's lifetime (plus a margin, within what a role accepts).
      r = await this.credentialsModule().oidcCredentialsFromEnv(process.env, provider, {
        urlLifetime: props.expiresIn as number,
        region: typeof props.region === 'string' ? props.region : undefined,
      });
    } catch (err) {
      const fe = this.fieldError(err, secrets) as Error & { field?: string };
      const out = new Error(`${fe.message} (OIDC variables in the environment of pulumi up)`) as Error & {
        field?: string;
      };
      out.field = fe.field;
      throw out;
    }
    if (!r) return undefined;
    const c = r.credentials;
    secrets.push([c.secretKey, 'temporary secretKey'], [c.securityToken, 'temporary securityToken']);
    return {
      secretId: c.secretId,
      secretKey: c.secretKey,
      securityToken: c.securityToken,
      expiresAt: c.expiresAt,
      source: `temporary credentials from ${c.api} (${r.source})`,
    };
  },
};

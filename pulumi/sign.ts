/**
 * Signing the checked inputs now, for `create` and `update`: the URL, its expiry and the time
 * of its renewal (`renewal.ts`), warnings (printed too, redacted), and the signed inputs echoed
 * into the state so that `diff` can compare them. Never a credential in what it returns.
 * A method of the provider (gathered in `provider.ts`): it references nothing from this module.
 */
import type { PresignedRequest } from '../src/index';
import type { PresignedUrlOutputs } from './fields';
import type { Props, ProviderPart } from './types';

export const signMethods: ProviderPart<'sign'> = {
  async sign(props) {
    const core = this.core();
    const secrets = this.knownSecrets(props, core.CREDENTIAL_ENV);
    const { source, expiresAt, ...creds } = await this.credentials(props, secrets);
    const now = Date.now();
    // Minted keys die on schedule: the URL is cut to them and renewal is planned from that.
    const request = expiresAt ? { ...props, credentialExpiresAt: expiresAt.toISOString() } : props;
    let signed: PresignedRequest;
    try {
      signed = core.presign(this.presignInput(request, creds), { now: () => now });
    } catch (err) {
      const fe = this.fieldError(err, secrets) as Error & { field?: string };
      if (source && ['secretId', 'secretKey', 'securityToken', 'credentialExpiresAt'].includes(fe.field ?? '')) {
        // Not an input: say where the value came from (variable names only).
        const out = new Error(`${fe.message} (${source})`) as Error & { field?: string };
        out.field = fe.field;
        throw out;
      }
      throw fe;
    }
    const { renewAt, warning } = this.renewal(signed.expiresAt.getTime(), props.renewBefore, now);
    const warnings = signed.warnings.map((w) => this.redact(w, secrets));
    if (warning !== undefined) warnings.push(warning);
    // The host's stderr is shown by `pulumi up` and kept in CI logs: redacted like errors.
    for (const w of warnings)
      console.warn(this.redact(`cos-presign: ${String(props.bucket)}/${String(props.key)}: ${w}`, secrets));
    const outs = {
      url: signed.url,
      method: signed.method,
      headers: signed.headers,
      expiresAt: signed.expiresAt.toISOString(),
      renewAt: new Date(renewAt).toISOString(),
      signedAt: new Date(now).toISOString(),
      warnings,
    } as PresignedUrlOutputs;
    // Echo the signed inputs (never credentials) so that `diff`, which only sees the old
    // outputs, can tell whether they changed. Same names, so the engine keeps secret ones secret.
    for (const f of this.echoedFields) {
      if (props[f] !== undefined && props[f] !== null) (outs as Props)[f] = props[f];
    }
    return outs;
  },
};

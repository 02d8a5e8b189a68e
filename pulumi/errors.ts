/**
 * What the provider says when something is wrong: core (and STS) refusals renamed to this
 * resource's inputs, and every text it returns, throws or prints redacted of each secret the
 * run knows (the host's output is shown by `pulumi up` and kept in CI logs).
 * Methods of the provider (gathered in `provider.ts`): they reference nothing from this module.
 */
import type { PresignError } from '../src/index';
import type { ProviderPart, Secret } from './types';

export const errorMethods: ProviderPart<'fieldError' | 'knownSecrets' | 'redact'> = {
  /** Maps a core error to the input names of this resource (`expires` is `expiresIn` here). */
  fieldError(err, secrets = []) {
    const e = err as { name?: string; field?: unknown; message?: string };
    const named =
      !!e &&
      (e.name === 'PresignError' || e.name === 'StsError') &&
      typeof e.field === 'string' &&
      typeof e.message === 'string';
    if (!named) {
      const message = err instanceof Error ? err.message : String(err);
      const clean = this.redact(message, secrets);
      // A new error when redacting changed the text, so that no stack trace keeps the original.
      return err instanceof Error && clean === message ? err : new Error(clean);
    }
    // STS refusals already name what to fix in this resource's terms (an environment variable).
    const r = this.renderError(err as PresignError, e.name === 'StsError' ? {} : this.errorFields);
    const out = new Error(this.redact(`${r.field}: ${r.message}`, secrets)) as Error & { field: string };
    out.field = r.field;
    return out;
  },

  knownSecrets(props, credentialEnv) {
    const secrets: Secret[] = [];
    for (const name of ['secretKey', 'securityToken'] as const) {
      const v = props[name];
      if (typeof v === 'string' && v !== '' && v !== this.unknown) secrets.push([v, name]);
    }
    for (const families of Object.values(credentialEnv)) {
      for (const f of families) {
        for (const name of [f.key, ...f.tokens]) {
          const v = process.env[name];
          if (v) secrets.push([v, name]);
        }
      }
    }
    return secrets;
  },

  redact(text, secrets) {
    const forms: Array<[string, string]> = [];
    for (const [value, name] of secrets) {
      for (const form of new Set([
        value,
        value.trim(),
        JSON.stringify(value).slice(1, -1),
        JSON.stringify(value.trim()).slice(1, -1),
        encodeURIComponent(value.trim()),
      ])) {
        // Shorter "secrets" would turn ordinary words into names; no real key or token is that short.
        if (form.length >= 4) forms.push([form, `<${name}>`]);
      }
    }
    forms.sort((a, b) => b[0].length - a[0].length);
    let out = text;
    for (const [form, name] of forms) {
      out = out.replace(new RegExp(form.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'), 'giu'), () => name);
    }
    return out;
  },
};

/**
 * What `check` accepts: no input outside the field table, defaults written into the checked
 * inputs (so state records what was signed), the rules of the resource's own fields, then
 * everything the signing core refuses, at a fixed clock. Deterministic, no I/O; values the
 * preview does not know yet are let through. Every reason is redacted of the run's secrets.
 * A method of the provider (gathered in `provider.ts`): it references nothing from this module.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Provider } from '../src/index';
import type { Creds, Props, ProviderPart } from './types';

export const checkMethods: ProviderPart<'validate'> = {
  validate(news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
    const known: readonly string[] = this.inputFields;
    const inputs: Props = {};
    for (const k of Object.keys(news)) {
      if (k === '__provider' || news[k] === undefined || news[k] === null) continue;
      if (!known.includes(k)) {
        fail(k, `is not an input of PresignedUrl; use one of ${known.join(', ')}`);
        continue;
      }
      inputs[k] = news[k];
    }
    const isUnknown = (v: unknown) => this.hasUnknown(v);

    // Defaults are written into the checked inputs, so state records what was signed.
    if (inputs.provider === undefined) inputs.provider = 'cos';
    if (inputs.method === undefined) inputs.method = 'GET';

    const e = inputs.expiresIn;
    let expiresOk = false;
    if (e === undefined) {
      fail('expiresIn', 'is required: the URL lifetime in seconds, e.g. 86400 for a day (S3 allows at most 604800)');
    } else if (!isUnknown(e)) {
      if (typeof e !== 'number' || !Number.isInteger(e) || e < 1)
        fail('expiresIn', `must be a whole number of seconds greater than 0, got ${JSON.stringify(e)}`);
      else expiresOk = true;
    }

    const rb = inputs.renewBefore;
    if (rb === undefined) {
      if (expiresOk) inputs.renewBefore = this.defaultRenewBefore(e as number);
    } else if (!isUnknown(rb)) {
      const fault = this.renewBeforeFault(rb, expiresOk ? (e as number) : undefined);
      if (fault !== undefined) fail('renewBefore', fault);
    }

    const t = inputs.triggers;
    if (t !== undefined && !isUnknown(t)) {
      if (typeof t !== 'object' || Array.isArray(t))
        fail('triggers', 'must be a map of names to strings; any change of a value signs a new URL');
      else {
        for (const [name, v] of Object.entries(t as Props)) {
          if (!isUnknown(v) && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
            fail('triggers', `value of ${JSON.stringify(name)} must be a string, number or boolean`);
          }
        }
      }
    }

    const hasId = inputs.secretId !== undefined && inputs.secretId !== '';
    const hasKey = inputs.secretKey !== undefined && inputs.secretKey !== '';
    if (hasId !== hasKey) {
      fail(
        hasId ? 'secretKey' : 'secretId',
        'is required when secretId/secretKey are given; pass both, or neither to read credentials from the environment',
      );
    }
    if (inputs.securityToken !== undefined && !hasId) {
      fail(
        'securityToken',
        'needs secretId and secretKey; pass all three, or none to read credentials from the environment',
      );
    }

    // Everything else the core checks, with a fixed clock (deterministic, no I/O) and the real
    // credentials whenever they are known (explicit, or in the environment), so that the core
    // redacts them where a refusal would quote a value. During preview an unknown value may
    // change the rules, so the core's checks wait for `up`, when every input is known.
    const core = this.core();
    const secrets = this.knownSecrets(inputs, core.CREDENTIAL_ENV);
    if (failures.length === 0 && !isUnknown(inputs)) {
      const placeholder = { secretId: 'PLACEHOLDERID', secretKey: 'placeholder-key' };
      const provider = inputs.provider as Provider;
      const fromEnv =
        hasId || !Object.hasOwn(core.CREDENTIAL_ENV, provider)
          ? undefined
          : core.credentialsFromEnv(process.env, provider);
      const attempt = (creds: Creds) => {
        try {
          core.presign(this.presignInput(inputs, creds), { now: () => this.checkClock });
          return undefined;
        } catch (err) {
          return this.fieldError(err, secrets) as Error & { field?: string };
        }
      };
      const explicit = {
        secretId: inputs.secretId as string,
        secretKey: inputs.secretKey as string,
        securityToken: inputs.securityToken as string | undefined,
      };
      let fe = attempt(hasId ? explicit : (fromEnv ?? placeholder));
      // The environment's credentials are not inputs: create and update report their faults,
      // naming the variables. Here they only must not hide a fault of the inputs.
      if (fe && fromEnv && ['secretId', 'secretKey', 'securityToken'].includes(fe.field ?? ''))
        fe = attempt(placeholder);
      if (fe) failures.push({ property: fe.field ?? 'input', reason: fe.message });
    }
    // Upper-cased only now: a refusal never quotes a case-changed copy of what was passed.
    if (typeof inputs.method === 'string' && !isUnknown(inputs.method)) inputs.method = inputs.method.toUpperCase();
    // Pulumi's own reasons quote values too (e.g. `got "..."`): redact every reason and name.
    const redacted = failures.map((f) => ({
      property: this.redact(f.property, secrets),
      reason: this.redact(f.reason, secrets),
    }));
    return { inputs, failures: redacted };
  },
};

/**
 * The dynamic provider behind `PresignedUrl`.
 *
 * Pulumi serializes this object (code and every value it reaches) into `__provider`, which is
 * stored in the stack's state and later run by the dynamic-provider host in the program's
 * directory. Hence the rules this file follows:
 * - methods use only their arguments, `this`, globals read at call time (`process.env`, `Date`)
 *   and `require()` called inside the method; no module-level value is referenced (a reference
 *   to an exported binding compiles to `exports.x` and would drag this whole module in);
 * - the signing core is loaded lazily through the package's stable public subpath
 *   `cos-presign/core`, and only by check/diff/create/update, so `read` and `delete` of old
 *   state keep working after the package is upgraded, moved or even removed; the STS clients
 *   likewise through `cos-presign/credentials`, and only by create/update when the environment
 *   holds OIDC variables instead of keys;
 * - core refusals are rendered by `renderPresignError` (src/shared/errors.ts) with the table
 *   `PULUMI_FIELDS`: both are values of this object, so the serializer copies the function's
 *   code (it and its helpers reference nothing but each other) and the table's data;
 * - no credential, environment value or native object is ever captured: credentials are read
 *   from the environment (or explicit secret inputs) when check/create/update run; check uses
 *   them only to validate and to redact, create/update to sign;
 * - what it returns, throws or prints never holds a secret: every text is redacted with every
 *   secret the run knows, in any letter case (the host's output is shown by `pulumi up`);
 * - the fields and their roles come from one table, `fields.ts`.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Credentials, PresignedRequest, PresignInput, Provider } from '../src/index';
import type { EnvOidcResult } from '../src/credentials/from-env';
import { renderPresignError } from '../src/shared/errors';
import type { FieldNames } from '../src/shared/errors';
import { fieldNames, presignedUrlFields, PULUMI_FIELDS } from './fields';
import type { FieldName, FieldSpec, PresignedUrlInputs, PresignedUrlOutputs } from './fields';

type Core = typeof import('../src/index');
type CredentialsModule = typeof import('../src/credentials/from-env');
type Props = Record<string, unknown>;
type Creds = { secretId: string; secretKey: string; securityToken?: string };
/** Credentials to sign with: `source` names the variables they came from; `expiresAt` is set for minted ones. */
type SigningCreds = Creds & { source?: string; expiresAt?: Date };
/** A secret value and the name that stands for it in redacted text. */
type Secret = readonly [value: string, name: string];

/** The provider object: Pulumi's interface plus the helpers its methods reach through `this`. */
export interface PresignedUrlProvider extends pulumi.dynamic.ResourceProvider<PresignedUrlInputs, PresignedUrlOutputs> {
  /** Inputs the program may set (anything else fails `check`). */
  readonly inputFields: readonly FieldName[];
  /** Inputs handed to the signing core besides the credentials, with the core's name for each. */
  readonly coreFields: ReadonlyArray<readonly [FieldName, keyof PresignInput]>;
  /** Inputs compared by value with the copy kept in the state (in this order). */
  readonly diffedFields: readonly FieldName[];
  /** Inputs copied into the state, so that `diff`, which sees only the old state, can compare them. */
  readonly echoedFields: readonly FieldName[];
  /** Inputs whose change replaces the resource (none: a URL has no remote identity to recreate). */
  readonly replacingFields: readonly FieldName[];
  /** How the engine spells an unknown value during preview. */
  readonly unknown: string;
  /** A fixed clock for `check` and `diff`, which must not depend on the time of day. */
  readonly checkClock: number;
  /** Core field name -> input name of this resource. */
  readonly errorFields: FieldNames;
  /** The one rendering of core refusals (serialized by value: no package code is loaded for it). */
  readonly renderError: typeof renderPresignError;
  core(): Core;
  credentialsModule(): CredentialsModule;
  hasUnknown(value: unknown): boolean;
  canonical(value: unknown): string;
  presignInput(props: Props, creds: Creds): PresignInput;
  validate(news: Props): { inputs: Props; failures: pulumi.dynamic.CheckFailure[] };
  consumerHeaders(props: Props): Record<string, string> | undefined;
  /** Explicit inputs, else the environment's keys, else temporary keys minted from its OIDC variables. */
  credentials(props: Props, secrets: Secret[]): Promise<SigningCreds>;
  /** Temporary keys from the provider's OIDC variables (undefined when none is set); adds them to `secrets`. */
  temporaryCredentials(props: Props, secrets: Secret[]): Promise<SigningCreds | undefined>;
  /** Every secret this run knows: explicit `secretKey`/`securityToken`, and the environment's credential variables. */
  knownSecrets(props: Props, credentialEnv: Core['CREDENTIAL_ENV']): Secret[];
  /** `text` with each known secret (in any letter case; raw, trimmed, JSON- or URL-escaped) replaced by its name. */
  redact(text: string, secrets: readonly Secret[]): string;
  sign(props: Props): Promise<PresignedUrlOutputs>;
  /** A core (or STS) error renamed to this resource's inputs, with every known secret redacted. */
  fieldError(e: unknown, secrets?: readonly Secret[]): Error;
  check(olds: PresignedUrlInputs, news: PresignedUrlInputs): Promise<pulumi.dynamic.CheckResult<PresignedUrlInputs>>;
  /** `diffs` names what changed (the host does not forward it to the engine; tests read it). */
  diff(
    id: string,
    olds: PresignedUrlOutputs,
    news: PresignedUrlInputs,
  ): Promise<pulumi.dynamic.DiffResult & { diffs: string[] }>;
  update(
    id: string,
    olds: PresignedUrlOutputs,
    news: PresignedUrlInputs,
  ): Promise<pulumi.dynamic.UpdateResult<PresignedUrlOutputs>>;
  read(id: string, props?: PresignedUrlOutputs): Promise<pulumi.dynamic.ReadResult<PresignedUrlOutputs>>;
  delete(id: string, props: PresignedUrlOutputs): Promise<void>;
}

export const presignedUrlProvider: PresignedUrlProvider = {
  // Plain data derived once from the field table: the serializer copies these arrays into
  // `__provider`, and the methods read them through `this` (never the module's bindings).
  inputFields: fieldNames((f) => f.input !== undefined),
  coreFields: fieldNames((f) => f.core !== undefined && !f.secret).map(
    (name) => [name, (presignedUrlFields[name] as FieldSpec).core!] as const,
  ),
  diffedFields: fieldNames((f) => f.diff === 'value'),
  echoedFields: fieldNames((f) => f.input !== undefined && f.state === 'echo'),
  replacingFields: fieldNames((f) => f.replaces === true),
  unknown: '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  checkClock: Date.UTC(2000, 0, 1),
  errorFields: PULUMI_FIELDS,
  renderError: renderPresignError,

  core() {
    // The public subpath, resolved from the program's node_modules by the host: never a
    // relative path (the host's cwd is the program directory) and never a file inside lib/.
    return require('cos-presign/core') as Core;
  },

  credentialsModule() {
    // Same rule as core(): the public subpath. Loaded only to mint, as it pulls in the HTTP client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- serialized code: see the header
    return require('cos-presign/credentials') as CredentialsModule;
  },

  hasUnknown(value) {
    if (value === this.unknown) return true;
    if (value !== null && typeof value === 'object') return Object.values(value).some((v) => this.hasUnknown(v));
    return false;
  },

  /** JSON with sorted keys, so maps compare by content. */
  canonical(value) {
    if (value === undefined || value === null) return 'null';
    if (Array.isArray(value)) return '[' + value.map((v) => this.canonical(v)).join(',') + ']';
    if (typeof value === 'object') {
      const obj = value as Props;
      return (
        '{' +
        Object.keys(obj)
          .sort()
          .filter((k) => obj[k] !== undefined && obj[k] !== null)
          .map((k) => JSON.stringify(k) + ':' + this.canonical(obj[k]))
          .join(',') +
        '}'
      );
    }
    return JSON.stringify(value);
  },

  presignInput(props, creds) {
    const input: Props = { ...creds };
    for (const [name, coreName] of this.coreFields) {
      if (props[name] !== undefined && props[name] !== null) input[coreName] = props[name];
    }
    return input as unknown as PresignInput;
  },

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
      // 10% of the lifetime: the URL is renewed by the first `pulumi up` in its last tenth.
      if (expiresOk) inputs.renewBefore = Math.floor((e as number) / 10);
    } else if (!isUnknown(rb)) {
      if (typeof rb !== 'number' || !Number.isInteger(rb) || rb < 0) {
        fail('renewBefore', `must be a whole number of seconds, 0 or more, got ${JSON.stringify(rb)}`);
      } else if (expiresOk && rb >= (e as number)) {
        fail(
          'renewBefore',
          `(${rb}) must be less than expiresIn (${e}), otherwise every pulumi up would sign a new URL; use e.g. ${Math.floor((e as number) / 10)} (10% of expiresIn)`,
        );
      }
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
    const r = this.renderError(
      err as import('../src/index').PresignError,
      e.name === 'StsError' ? {} : this.errorFields,
    );
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

  /** The headers a consumer would have to send for these inputs (what `headers` holds once signed). */
  consumerHeaders(props) {
    try {
      const request = this.presignInput(
        { ...props, credentialExpiresAt: undefined },
        { secretId: 'PLACEHOLDERID', secretKey: 'placeholder-key' },
      );
      return this.core().presign(request, { now: () => this.checkClock }).headers;
    } catch {
      return undefined;
    }
  },

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
    const renewBefore = typeof props.renewBefore === 'number' ? props.renewBefore : 0;
    const renewAt = signed.expiresAt.getTime() - renewBefore * 1000;
    const warnings = signed.warnings.map((w) => this.redact(w, secrets));
    if (renewAt <= now) {
      warnings.push(
        `the URL lives less than renewBefore (${renewBefore} s), so every pulumi up will sign a new one; use longer-lived credentials or a smaller renewBefore`,
      );
    }
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

  // The engine sends whatever the program passed (or the preview's unknown placeholder), so the
  // declared input type is what check establishes, not what it may assume.
  async check(_olds, news) {
    const { inputs, failures } = this.validate(news as unknown as Props);
    return { inputs: inputs as unknown as PresignedUrlInputs, failures };
  },

  async diff(_id, oldState, newInputs) {
    const olds = oldState as unknown as Props;
    const news = newInputs as unknown as Props;
    const diffs: string[] = [];
    for (const f of this.diffedFields) {
      if (this.hasUnknown(news[f]) || this.canonical(olds[f]) !== this.canonical(news[f])) diffs.push(f);
    }
    // `headers` in the state is what the consumer sends; compare it with what the new inputs
    // would make them send (a header the signature does not cover changes nothing).
    const request: Props = { headers: news.headers };
    for (const f of this.diffedFields) request[f] = news[f];
    const headers = this.hasUnknown(request) ? undefined : this.consumerHeaders(request);
    if (headers === undefined || this.canonical(olds.headers) !== this.canonical(headers)) diffs.push('headers');
    const renewAt = typeof olds.renewAt === 'string' ? Date.parse(olds.renewAt) : NaN;
    if (!(Date.now() < renewAt)) diffs.push('renewAt');
    // In place unless a replacing field changed (none does): the ID stays, nothing is created or deleted remotely.
    const replacing: readonly string[] = this.replacingFields;
    return {
      changes: diffs.length > 0,
      replaces: diffs.filter((f) => replacing.includes(f)),
      deleteBeforeReplace: false,
      diffs,
    };
  },

  async create(inputs) {
    const outs = await this.sign(inputs as unknown as Props);
    return { id: (require('node:crypto') as typeof import('node:crypto')).randomUUID(), outs };
  },

  async update(_id, _olds, news) {
    return { outs: await this.sign(news as unknown as Props) };
  },

  // A presigned URL cannot be observed remotely: refresh keeps the state as it is. Needs no
  // credentials and no package code, so refresh works with old state and no keys.
  async read(id, props) {
    return { id, props };
  },

  // Nothing exists remotely; forgetting the URL is all there is to do (it expires by itself).
  async delete() {
    /* nothing to delete */
  },
};

/**
 * The dynamic provider behind `PresignedUrl`: the methods the host calls (check, diff, create,
 * update, read, delete), with the helpers they reach through `this` gathered from one file per
 * concern: `inputs.ts` (values, mapping to the core), `check.ts` (what check accepts),
 * `renewal.ts` (when a URL is signed again), `errors.ts` (renaming and redaction),
 * `credentials.ts` (where the keys come from), `sign.ts` (what create/update return).
 *
 * Pulumi serializes this object (code and every value it reaches) into `__provider`, which is
 * stored in the stack's state and later run by the dynamic-provider host in the program's
 * directory. Hence the rules every one of those files follows:
 * - methods use only their arguments, `this`, globals read at call time (`process.env`, `Date`)
 *   and `require()` called inside the method; no module-level value is referenced (a reference
 *   to an exported binding compiles to `exports.x`, an imported one to `module_1.x`, and would
 *   drag that whole module in). The spreads below copy the method functions themselves into
 *   this object, and the serializer copies each function's code by value;
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
import { renderPresignError } from '../src/shared/errors';
import { checkMethods } from './check';
import { credentialMethods } from './credentials';
import { errorMethods } from './errors';
import { fieldNames, presignedUrlFields, PULUMI_FIELDS } from './fields';
import type { FieldSpec, PresignedUrlInputs } from './fields';
import { inputMethods } from './inputs';
import { renewalMethods } from './renewal';
import { signMethods } from './sign';
import type { Core, CredentialsModule, PresignedUrlProvider, Props } from './types';

export type { PresignedUrlProvider } from './types';

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

  ...inputMethods,
  ...checkMethods,
  ...renewalMethods,
  ...errorMethods,
  ...credentialMethods,
  ...signMethods,

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
    if (this.renewalDue(olds, Date.now())) diffs.push('renewAt');
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

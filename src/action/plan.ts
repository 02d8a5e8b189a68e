/**
 * From the action's inputs to a plan: provider, credentials, the shared presign input, every
 * key (from key, keys and files) with where it came from, and the warnings found on the way.
 * Nothing is signed or written here.
 */
import * as glob from '@actions/glob';
import { credentialEnvHint, credentialsFromEnv } from '../core/credentials';
import { HttpMethod, METHODS, PresignInput, Provider } from '../core/types';
import { assembleKey } from '../shared/keys';
import { realRoots } from '../shared/local-files';
import { quote } from '../shared/values';
import { templateContext } from './context';
import { Globber, LocalFile, matchFiles } from './files';
import { PENDING, usesOidc } from './credentials';
import * as inputs from './inputs';
import { InputError, InputReader, KeyOrigin } from './inputs';

export interface Credentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  /** Printable: which inputs or env vars they came from. */
  source: string;
  /** The env vars, when they came from the environment. */
  envSource?: string;
}

export interface KeyEntry {
  key: string;
  origin: KeyOrigin;
  file?: LocalFile;
}

export interface Plan {
  provider: Provider;
  method: HttpMethod;
  base: Omit<PresignInput, 'key' | 'headers'>;
  headers: Record<string, string>;
  entries: KeyEntry[];
  creds: Credentials;
  summary: inputs.SummaryMode;
  maskUrls: boolean;
  /** `comment`: post the GET links as a sticky pull-request comment after the outputs are set. */
  comment: boolean;
  endpointIsDomain: boolean;
  warnings: string[];
}

/** What plan() needs from the runner besides the inputs. */
export interface PlanEnv {
  env: NodeJS.ProcessEnv;
  /** core.setSecret: called for every secret as soon as it is known. */
  mask(value: string): void;
}

function credentials(r: InputReader, provider: Provider, e: PlanEnv): Credentials {
  const secretId = r.get('secret-id');
  const secretKey = r.get('secret-key');
  const token = r.get('security-token');
  if (secretId || secretKey) {
    if (!secretId)
      throw new InputError(
        'secret-id',
        'is empty but secret-key is set; pass both (secret-id may come from vars.*), or neither to use credentials from the environment',
      );
    if (!secretKey)
      throw new InputError(
        'secret-key',
        'is empty but secret-id is set; pass it from a secret, e.g. secret-key: ${{ secrets.COS_SECRET_KEY }}',
      );
    return {
      secretId,
      secretKey,
      securityToken: token || undefined,
      source: `inputs secret-id/secret-key${token ? '/security-token' : ''}`,
    };
  }
  if (token) {
    throw new InputError(
      'security-token',
      'is set but secret-id and secret-key are not; a token only works with the temporary secret-id and secret-key issued with it, so pass all three',
    );
  }
  const env = credentialsFromEnv(e.env, provider);
  if (!env) {
    throw new InputError(
      'secret-id',
      `no credentials for ${provider}: set secret-id and secret-key (and security-token for temporary keys), or run a credentials step before this one that exports ${credentialEnvHint(provider, e.env)}`,
    );
  }
  // Registered before anything else can print; the runner masks only what it was told about.
  e.mask(env.secretKey);
  if (env.securityToken) e.mask(env.securityToken);
  return { ...env, envSource: env.source, source: `environment ${env.source}` };
}

/** At most this many key-assembly warnings are listed one by one; the rest are counted. */
const KEY_WARNINGS_SHOWN = 5;

/** Symbolic links are not followed into folders: each match is resolved and checked instead. */
const actionsGlob: Globber = async (patterns) =>
  (
    await glob.create(patterns, { matchDirectories: false, implicitDescendants: true, followSymbolicLinks: false })
  ).glob();

export async function plan(r: InputReader, e: PlanEnv): Promise<Plan> {
  // Mask first: nothing below may print them, but an unforeseen error message must not either.
  for (const name of ['secret-key', 'security-token']) {
    const v = r.get(name);
    if (v) e.mask(v);
  }
  const warnings: string[] = [];
  const provider = inputs.provider(r);
  // role-arn without keys: OIDC credentials replace these placeholders once the plan is made.
  const creds: Credentials = usesOidc(r) ? { ...PENDING } : credentials(r, provider, e);

  const rawMethod = r.get('method') || 'GET';
  const method = rawMethod.toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) {
    throw new InputError(
      'method',
      `${quote(rawMethod)} is not supported; use one of ${METHODS.join(', ')} (default GET)`,
    );
  }
  const summary = inputs.summaryMode(r);
  const ifNoFiles = inputs.ifNoFilesFound(r);
  const maskUrls = inputs.bool(r, 'mask-urls', false);
  const comment = inputs.bool(r, 'comment', false);
  if (comment && method !== 'GET') {
    throw new InputError(
      'comment',
      `posts download links, but method is ${method}: a ${method} URL in a pull-request comment would let every reader of the pull request use it; use comment only with method GET (or upload mode)`,
    );
  }
  if (comment && maskUrls) {
    throw new InputError(
      'comment',
      "publishes the links in the pull request, but mask-urls: 'true' asks to keep them secret; choose one",
    );
  }
  const headers = inputs.headers(r);

  const endpoint = r.get('endpoint');
  const domain = r.get('domain');
  let endpointIsDomain = false;
  const where: Pick<PresignInput, 'endpoint' | 'domain' | 'isCustomDomain'> = {
    endpoint: endpoint || undefined,
    domain: domain || undefined,
  };
  if (provider === 'tos' && domain) {
    // TOS has no `domain`; a custom domain is its endpoint with isCustomDomain.
    if (endpoint)
      throw new InputError(
        'domain',
        'for tos, set either endpoint (a TOS endpoint) or domain (a custom domain bound to the bucket), not both',
      );
    Object.assign(where, { endpoint: domain, domain: undefined, isCustomDomain: true });
    endpointIsDomain = true;
  }
  const base: Plan['base'] = {
    provider,
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    securityToken: creds.securityToken,
    bucket: r.get('bucket'),
    region: r.get('region') || undefined,
    method,
    expires: inputs.expires(r),
    startTime: inputs.startTime(r),
    params: inputs.params(r),
    signHost: inputs.bool(r, 'sign-host', true),
    scheme: (r.get('scheme') || undefined) as PresignInput['scheme'],
    accelerate: inputs.bool(r, 'accelerate', false),
    forcePathStyle: inputs.bool(r, 'force-path-style', false),
    credentialExpiresAt: r.get('credential-expiration') || undefined,
    ...where,
  };

  const template = r.get('key-prefix');
  const prefix = template.includes('{') ? inputs.renderPrefix(template, templateContext(e.env)) : template;

  const entries: KeyEntry[] = [];
  const keyWarnings: string[] = [];
  const add = (name: string, origin: KeyOrigin, file?: LocalFile) => {
    const k = assembleKey(prefix, name, provider, { prefix: 'key-prefix', key: origin });
    keyWarnings.push(...k.warnings);
    entries.push({ key: k.key, origin, ...(file ? { file } : {}) });
  };
  const single = r.get('key');
  if (single) add(single, 'key');
  for (const k of r.lines('keys')) add(k, 'keys');

  const patterns = r.lines('files');
  if (patterns.length) {
    const workspace = e.env.GITHUB_WORKSPACE || process.cwd();
    const roots = await realRoots([{ name: 'the workspace', dir: workspace }]);
    const matched = await matchFiles(patterns, workspace, roots, actionsGlob);
    warnings.push(...matched.warnings);
    if (matched.unmatched.length) {
      const what = `${matched.unmatched.map((p) => quote(p)).join(', ')} matched no files in ${quote(workspace)}`;
      if (ifNoFiles === 'error') {
        throw new InputError(
          'files',
          `${what}; check the paths (they are relative to the workspace) and that the files were built before this step, or set if-no-files-found to warn or ignore`,
        );
      }
      if (ifNoFiles === 'warn') warnings.push(`files: ${what}`);
    }
    for (const f of matched.files) add(f.relative, 'files', f);
  } else if (entries.length === 0) {
    throw new InputError(
      'key',
      'nothing to sign; set key (one object key), keys (one per line) or files (globs of local files)',
    );
  }
  // The same prefix mistake repeats for every key: say each distinct warning once, and few of them.
  const distinct = [...new Set(keyWarnings)];
  const glued = distinct.filter((w) => w.startsWith('key-prefix '));
  const rest = distinct.filter((w) => !w.startsWith('key-prefix '));
  if (glued.length) warnings.push(glued[0] + (glued.length > 1 ? ` (and so for ${glued.length - 1} more keys)` : ''));
  warnings.push(...rest.slice(0, KEY_WARNINGS_SHOWN));
  if (rest.length > KEY_WARNINGS_SHOWN)
    warnings.push(
      `${rest.length - KEY_WARNINGS_SHOWN} more keys have a leading "/" or a "//"; see the keys listed in the log`,
    );

  const seen = new Map<string, KeyOrigin>();
  for (const en of entries) {
    const first = seen.get(en.key);
    if (first)
      throw new InputError(
        en.origin,
        `key ${quote(en.key)} is given more than once (also by ${first}); each key gets one URL, so list it once`,
      );
    seen.set(en.key, en.origin);
  }

  if (method === 'PUT' && entries.some((en) => en.file)) {
    for (const name of Object.keys(headers)) {
      if (/^content-(length|md5)$/i.test(name)) {
        throw new InputError(
          'headers',
          `${name} is computed from each file when files is used with method PUT; remove it from headers`,
        );
      }
    }
  }
  let summaryMode = summary;
  if (summary === 'links' && creds.securityToken) {
    // The token would sit in the summary file, and the runner's masking would break the links anyway.
    summaryMode = 'names';
    warnings.push(
      'summary: links is not honoured because the URLs carry the security token, which must not go into the job summary (the runner would mask it and break the links); listing key names instead. Hand the URLs on through the outputs',
    );
  }
  return {
    provider,
    method,
    base,
    headers,
    entries,
    creds,
    summary: summaryMode,
    maskUrls,
    comment,
    endpointIsDomain,
    warnings,
  };
}

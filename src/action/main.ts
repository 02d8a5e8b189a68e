/**
 * The GitHub Action: reads the inputs, signs one URL per key with the core, and only when every
 * key has been signed writes the summary and sets the outputs. Any refusal ends the step with
 * one `::error::` naming the input, and no output at all.
 *
 * Nothing here prints a URL, a signature, the secret key or the token.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import * as glob from '@actions/glob';
// The core modules themselves, not '../index': the bundle then holds only what the action uses.
import { credentialEnvHint, credentialsFromEnv } from '../core/credentials';
import { isPresignError } from '../core/errors';
import { cosAuthorization, presign } from '../core/presign';
import { HttpMethod, METHODS, PresignInput, PresignedRequest, Provider } from '../core/types';
import { FilePins, filePins, LocalFile, relativeFiles } from './files';
import { curlCommand, SignedEntry, summaryHtml } from './format';
import * as inputs from './inputs';
import { InputError, InputReader, KeyOrigin, TemplateContext } from './inputs';
import { writeRequestsFile } from './requests-file';
import { runPutRequests, runUploadMode, uploadRequested } from './upload';

const reader: InputReader = {
  get: (name) => core.getInput(name),
  lines: (name) => core.getMultilineInput(name).filter((l) => l !== ''),
};

/** GitHub documents 1 MB per output; above it the value is cut or refused downstream. */
const OUTPUT_LIMIT = 1024 * 1024;

interface Credentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  /** Printable: which inputs or env vars they came from. */
  source: string;
  /** The env vars, when they came from the environment. */
  envSource?: string;
}

function credentials(r: InputReader, provider: Provider): Credentials {
  const secretId = r.get('secret-id');
  const secretKey = r.get('secret-key');
  const token = r.get('security-token');
  if (secretId || secretKey) {
    if (!secretId) throw new InputError('secret-id', 'is empty but secret-key is set; pass both (secret-id may come from vars.*), or neither to use credentials from the environment');
    if (!secretKey) throw new InputError('secret-key', 'is empty but secret-id is set; pass it from a secret, e.g. secret-key: ${{ secrets.COS_SECRET_KEY }}');
    return {
      secretId, secretKey, securityToken: token || undefined,
      source: `inputs secret-id/secret-key${token ? '/security-token' : ''}`,
    };
  }
  if (token) {
    throw new InputError('security-token', 'is set but secret-id and secret-key are not; a token only works with the temporary secret-id and secret-key issued with it, so pass all three');
  }
  const env = credentialsFromEnv(process.env, provider);
  if (!env) {
    throw new InputError('secret-id', `no credentials for ${provider}: set secret-id and secret-key (and security-token for temporary keys), or run a credentials step before this one that exports ${credentialEnvHint(provider)}`);
  }
  // Registered before anything else can print; the runner masks only what it was told about.
  core.setSecret(env.secretKey);
  if (env.securityToken) core.setSecret(env.securityToken);
  return { ...env, envSource: env.source, source: `environment ${env.source}` };
}

function templateContext(): TemplateContext {
  const c = github.context;
  let owner: string | undefined;
  let repo: string | undefined;
  try {
    ({ owner, repo } = c.repo);
  } catch {
    // context.repo throws without GITHUB_REPOSITORY; {repo} then reports what is missing.
  }
  const pr = (c.payload as { pull_request?: { number?: number } }).pull_request;
  return {
    owner, repo, ref: c.ref || undefined, sha: c.sha || undefined, runId: c.runId, runNumber: c.runNumber,
    runAttempt: c.runAttempt, eventName: c.eventName || undefined, prNumber: pr?.number,
  };
}

interface KeyEntry {
  key: string;
  origin: KeyOrigin;
  file?: LocalFile;
}

/** Matches each `files` pattern on its own so that one matching nothing can be named. */
async function matchFiles(patterns: string[]): Promise<{ matches: string[]; unmatched: string[] }> {
  const negatives = patterns.filter((p) => p.startsWith('!'));
  const positives = patterns.filter((p) => !p.startsWith('!') && !p.startsWith('#'));
  if (positives.length === 0) throw new InputError('files', 'has only exclusions (!…) or comments; add a glob that matches the files to sign, e.g. dist/*');
  const matches: string[] = [];
  const unmatched: string[] = [];
  for (const p of positives) {
    const g = await glob.create([p, ...negatives].join('\n'), { matchDirectories: false, implicitDescendants: true });
    const found = await g.glob();
    if (found.length === 0) unmatched.push(p);
    matches.push(...found);
  }
  return { matches, unmatched };
}

interface Plan {
  provider: Provider;
  method: HttpMethod;
  base: Omit<PresignInput, 'key' | 'headers'>;
  headers: Record<string, string>;
  entries: KeyEntry[];
  creds: Credentials;
  summary: inputs.SummaryMode;
  maskUrls: boolean;
  endpointIsDomain: boolean;
  warnings: string[];
}

async function plan(r: InputReader): Promise<Plan> {
  // Mask first: nothing below may print them, but an unforeseen error message must not either.
  for (const name of ['secret-key', 'security-token']) {
    const v = r.get(name);
    if (v) core.setSecret(v);
  }
  const warnings: string[] = [];
  const provider = inputs.provider(r);
  const creds = credentials(r, provider);

  const rawMethod = r.get('method') || 'GET';
  const method = rawMethod.toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) {
    throw new InputError('method', `${JSON.stringify(rawMethod)} is not supported; use one of ${METHODS.join(', ')} (default GET)`);
  }
  const summary = inputs.summaryMode(r);
  const ifNoFiles = inputs.ifNoFilesFound(r);
  const maskUrls = inputs.bool(r, 'mask-urls', false);
  const headers = inputs.headers(r);

  const endpoint = r.get('endpoint');
  const domain = r.get('domain');
  let endpointIsDomain = false;
  const where: Pick<PresignInput, 'endpoint' | 'domain' | 'isCustomDomain'> = { endpoint: endpoint || undefined, domain: domain || undefined };
  if (provider === 'tos' && domain) {
    // TOS has no `domain`; a custom domain is its endpoint with isCustomDomain.
    if (endpoint) throw new InputError('domain', 'for tos, set either endpoint (a TOS endpoint) or domain (a custom domain bound to the bucket), not both');
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
  const prefix = template.includes('{') ? inputs.renderPrefix(template, templateContext()) : template;

  const entries: KeyEntry[] = [];
  const single = r.get('key');
  if (single) entries.push({ key: prefix + single, origin: 'key' });
  for (const k of r.lines('keys')) entries.push({ key: prefix + k, origin: 'keys' });

  const patterns = r.lines('files');
  if (patterns.length) {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const { matches, unmatched } = await matchFiles(patterns);
    if (unmatched.length) {
      const what = `${unmatched.map((p) => JSON.stringify(p)).join(', ')} matched no files in ${workspace}`;
      if (ifNoFiles === 'error') {
        throw new InputError('files', `${what}; check the paths (they are relative to the workspace) and that the files were built before this step, or set if-no-files-found to warn or ignore`);
      }
      if (ifNoFiles === 'warn') warnings.push(`files: ${what}`);
    }
    for (const f of relativeFiles(matches, workspace)) entries.push({ key: prefix + f.relative, origin: 'files', file: f });
  } else if (entries.length === 0) {
    throw new InputError('key', 'nothing to sign; set key (one object key), keys (one per line) or files (globs of local files)');
  }

  const seen = new Map<string, KeyOrigin>();
  for (const e of entries) {
    const first = seen.get(e.key);
    if (first) throw new InputError(e.origin, `key ${JSON.stringify(e.key)} is given more than once (also by ${first}); each key gets one URL, so list it once`);
    seen.set(e.key, e.origin);
  }

  if (method === 'PUT' && entries.some((e) => e.file)) {
    for (const name of Object.keys(headers)) {
      if (/^content-(length|md5)$/i.test(name)) {
        throw new InputError('headers', `${name} is computed from each file when files is used with method PUT; remove it from headers`);
      }
    }
  }
  let summaryMode = summary;
  if (summary === 'links' && creds.securityToken) {
    // The token would sit in the summary file, and the runner's masking would break the links anyway.
    summaryMode = 'names';
    warnings.push('summary: links is not honoured because the URLs carry the security token, which must not go into the job summary (the runner would mask it and break the links); listing key names instead. Hand the URLs on through the outputs');
  }
  return { provider, method, base, headers, entries, creds, summary: summaryMode, maskUrls, endpointIsDomain, warnings };
}

function signAll(p: Plan, pins: Map<KeyEntry, Record<string, string>>, now: number): { signed: SignedEntry[]; results: PresignedRequest[]; authorization?: string } {
  const signed: SignedEntry[] = [];
  const results: PresignedRequest[] = [];
  let authorization: string | undefined;
  for (const e of p.entries) {
    const input: PresignInput = { ...p.base, key: e.key, headers: { ...pins.get(e), ...p.headers } };
    try {
      const res = presign(input, { now: () => now });
      results.push(res);
      signed.push({ key: e.key, url: res.url, method: res.method, headers: res.headers, file: e.file?.relative });
      if (p.provider === 'cos' && p.entries.length === 1) authorization = cosAuthorization(input, { now: () => now });
    } catch (err) {
      if (isPresignError(err)) {
        throw inputs.fromPresignError(err, {
          key: e.key, origin: e.origin, endpointIsDomain: p.endpointIsDomain,
          credentialSource: p.creds.envSource,
        });
      }
      throw err;
    }
  }
  return { signed, results, authorization };
}

/**
 * Size, MD5 and type of each file, FILE_READS at a time: one after the other, a release of 5,000
 * small files spent ~1.5 s waiting on open/read/close. A failure is reported for the first failing
 * file in path order, as a sequential read would, whatever order the reads finish in.
 */
const FILE_READS = 16;
async function readPins(entries: KeyEntry[]): Promise<FilePins[]> {
  const results: Array<{ ok: FilePins } | { err: unknown }> = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++) {
      try {
        results[i] = { ok: await filePins(entries[i].file!) };
      } catch (err) {
        results[i] = { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_READS, entries.length) }, worker));
  return results.map((r) => {
    if ('err' in r) throw r.err;
    return r.ok;
  });
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

export async function run(): Promise<void> {
  try {
    // Upload modes (src/action/upload.ts): put-requests needs no credentials, so it comes first.
    if (reader.get('put-requests')) return await runPutRequests(reader);
    const p = await plan(reader);
    if (uploadRequested(reader)) return await runUploadMode(p, reader);

    // Pins for PUT uploads of local files: the URL then accepts exactly that file.
    const pins = new Map<KeyEntry, Record<string, string>>();
    if (p.method === 'PUT') {
      const userType = Object.keys(p.headers).some((n) => n.toLowerCase() === 'content-type');
      const withFiles = p.entries.filter((e) => e.file);
      const read = await readPins(withFiles);
      withFiles.forEach((e, i) => {
        const { 'Content-Type': type, ...rest } = read[i];
        pins.set(e, userType ? rest : { 'Content-Type': type, ...rest });
      });
    }

    const now = Date.now();
    const { signed, results, authorization } = signAll(p, pins, now);
    const warnings = [...new Set([...p.warnings, ...results.flatMap((r) => r.warnings)])];

    // Everything is computed; from here on nothing can be refused.
    const outputs: Array<[string, string]> = [];
    const urls: Record<string, string> = {};
    const requests: Record<string, { url: string; method: string; headers: Record<string, string>; file?: string }> = {};
    for (const s of signed) {
      urls[s.key] = s.url;
      // `file` (keys from `files` only) lets an upload loop find the local file of each key.
      requests[s.key] = { url: s.url, method: s.method, headers: s.headers, ...(s.file !== undefined ? { file: s.file } : {}) };
    }
    const expiresAt = results.length ? isoSeconds(results[0].expiresAt) : '';
    if (signed.length) outputs.push(['url', signed[0].url]);
    outputs.push(['urls', JSON.stringify(urls)], ['requests', JSON.stringify(requests)]);
    if (expiresAt) outputs.push(['expires-at', expiresAt]);
    if (authorization !== undefined) outputs.push(['authorization', authorization]);
    if (signed.length === 1) outputs.push(['curl', curlCommand(signed[0])]);
    outputs.push(['requests-file', writeRequestsFile(JSON.stringify(requests))]);
    for (const [name, value] of outputs) {
      const bytes = Buffer.byteLength(value);
      if (bytes > OUTPUT_LIMIT) {
        // Still set in full (the runner takes it; what reads it later may not): say how many keys fit.
        const fit = Math.max(1, Math.floor(OUTPUT_LIMIT / Math.ceil(bytes / Math.max(1, signed.length))));
        warnings.push(`output ${name} is ${bytes} bytes for ${signed.length} keys; GitHub documents at most 1 MB per output, so a later step may fail to read it: sign at most about ${fit} keys per step (split keys or files over several steps)`);
      }
    }

    if (p.maskUrls) {
      for (const s of signed) {
        core.setSecret(s.url);
        const sig = /[?&](?:q-signature|X-Amz-Signature|X-Tos-Signature)=([0-9a-f]+)/.exec(s.url);
        if (sig) core.setSecret(sig[1]);
      }
      if (authorization !== undefined) core.setSecret(authorization);
    }

    for (const w of warnings) core.warning(w);
    core.info(`Credentials: ${p.creds.source}`);
    core.info(`Signed ${signed.length} ${p.method} URL${signed.length === 1 ? '' : 's'} for ${p.provider} bucket ${JSON.stringify(p.base.bucket)}${expiresAt ? `, valid until ${expiresAt}` : ''}. URLs are in the step outputs, not in this log.`);
    if (signed.length) {
      core.startGroup('Keys');
      for (const s of signed) core.info(s.key);
      core.endGroup();
    }

    // The summary lists the headers to send. One may carry the token (the COS Authorization form
    // sends it as x-cos-security-token): shown as the runner masks it, for the summary is a file
    // that must hold no secret. The requests output keeps the real value for the consumer.
    const secrets = [p.creds.secretKey, p.creds.securityToken].filter((s): s is string => !!s && s.length >= 4);
    const hide = (v: string) => secrets.reduce((t, s) => t.split(s).join('***'), v);
    const listed = signed.map((s) => ({ ...s, headers: Object.fromEntries(Object.entries(s.headers).map(([n, v]) => [n, hide(v)])) }));
    const html = summaryHtml(p.summary, { provider: p.provider, bucket: p.base.bucket, expiresAt, entries: listed, warnings });
    if (html && process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(html).write();

    for (const [name, value] of outputs) core.setOutput(name, value);
  } catch (e) {
    if (e instanceof InputError) core.setFailed(e.message);
    else core.setFailed(`cos-presign failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

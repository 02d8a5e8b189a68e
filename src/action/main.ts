/**
 * The GitHub Action: reads the inputs into a plan (plan.ts), signs one URL per key with the
 * core, decides the outputs (outputs.ts), and only when every key has been signed writes the
 * summary and sets the outputs. Any refusal ends the step with one `::error::` naming the
 * input, and no output at all. Log lines go through log.ts, which neutralises input text.
 *
 * Nothing here prints a URL, a signature, the secret key or the token.
 */
import * as core from '@actions/core';
// The core modules themselves, not '../index': the bundle then holds only what the action uses.
import { isPresignError } from '../core/errors';
import { cosAuthorization, createPresigner } from '../core/presign';
import type { PresignedRequest, PresignInput, Presigner } from '../core/types';
import { templateContext } from './context';
import { applyTemporaryCredentials } from './credentials';
import { FilePins, filePins } from './files';
import { summaryHtml, withoutSecrets } from './format';
import * as inputs from './inputs';
import { InputError, InputReader } from './inputs';
import * as log from './log';
import { quote } from '../shared/values';
import { buildOutputs, SignedEntry } from './outputs';
import { KeyEntry, Plan, plan } from './plan';
import { writeRequestsFile } from './requests-file';
import { postLinksComment } from './sticky-comment';
import { prepareUpload, runPutRequests, runUploadMode, uploadRequested } from './upload';

const reader: InputReader = {
  get: (name) => core.getInput(name),
  lines: (name) => core.getMultilineInput(name).filter((l) => l !== ''),
};

function signAll(
  p: Plan,
  pins: Map<KeyEntry, Record<string, string>>,
  now: number,
): { signed: SignedEntry[]; results: PresignedRequest[]; authorization?: string } {
  const signed: SignedEntry[] = [];
  const results: PresignedRequest[] = [];
  let authorization: string | undefined;
  // One presigner for the whole batch: credentials, target, window and signing key resolved once.
  let presigner: Presigner | undefined;
  for (const e of p.entries) {
    const input: PresignInput = { ...p.base, key: e.key, headers: { ...pins.get(e), ...p.headers } };
    try {
      presigner ??= createPresigner({ ...p.base, headers: input.headers }, { now: () => now });
      const res = presigner.presign(e.key, { headers: input.headers });
      results.push(res);
      signed.push({ key: e.key, url: res.url, method: res.method, headers: res.headers, file: e.file?.relative });
      if (p.provider === 'cos' && p.entries.length === 1) authorization = cosAuthorization(input, { now: () => now });
    } catch (err) {
      if (isPresignError(err)) {
        throw inputs.fromPresignError(err, {
          key: e.key,
          origin: e.origin,
          endpointIsDomain: p.endpointIsDomain,
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

/** Pins for PUT uploads of local files: the URL then accepts exactly that file. */
async function uploadPins(p: Plan): Promise<Map<KeyEntry, Record<string, string>>> {
  const pins = new Map<KeyEntry, Record<string, string>>();
  if (p.method !== 'PUT') return pins;
  const userType = Object.keys(p.headers).some((n) => n.toLowerCase() === 'content-type');
  const withFiles = p.entries.filter((e) => e.file);
  const read = await readPins(withFiles);
  withFiles.forEach((e, i) => {
    const { 'Content-Type': type, ...rest } = read[i];
    pins.set(e, userType ? rest : { 'Content-Type': type, ...rest });
  });
  return pins;
}

/** The run id and attempt for the default STS session name (checked as numbers, else unused). */
function runOf(c: { runId?: string; runAttempt?: string }): { runId?: number; runAttempt?: number } {
  const n = (v?: string) => (v && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : undefined);
  return { runId: n(c.runId), runAttempt: n(c.runAttempt) };
}

export async function run(): Promise<void> {
  try {
    // Upload modes (src/action/upload.ts): put-requests needs no credentials, so it comes first.
    if (reader.get('put-requests')) return await runPutRequests(reader);
    const p = await plan(reader, { env: process.env, mask: (v) => core.setSecret(v) });
    // Upload mode's final keys and operations are known before credentials: scope: objects narrows to them.
    const upload = uploadRequested(reader) ? await prepareUpload(p, reader) : undefined;
    // role-arn / scope: temporary credentials replace the plan's, before anything is signed.
    const temporary = await applyTemporaryCredentials(reader, p, runOf(templateContext()), upload?.grant);
    if (upload) return await runUploadMode(p, reader, upload, temporary);
    const pins = await uploadPins(p);
    const { signed, results, authorization } = signAll(p, pins, Date.now());

    // Everything is computed; from here on nothing can be refused.
    const out = buildOutputs({
      entries: signed,
      expiresAt: results[0]?.expiresAt,
      authorization,
      maskUrls: p.maskUrls,
      temporary,
    });
    for (const m of out.masks) core.setSecret(m);
    const warnings = [...new Set([...p.warnings, ...results.flatMap((r) => r.warnings), ...out.warnings])];

    for (const w of warnings) log.warning(w);
    log.info(`Credentials: ${p.creds.source}`);
    log.info(
      `Signed ${signed.length} ${p.method} URL${signed.length === 1 ? '' : 's'} for ${p.provider} bucket ${quote(p.base.bucket)}${out.expiresAt ? `, valid until ${out.expiresAt}` : ''}. URLs are in the step outputs, not in this log.`,
    );
    if (signed.length)
      log.group(
        'Keys',
        signed.map((s) => s.key),
      );

    const listed = withoutSecrets(signed, [p.creds.secretKey, p.creds.securityToken]);
    const html = summaryHtml(p.summary, {
      provider: p.provider,
      bucket: p.base.bucket,
      expiresAt: out.expiresAt,
      entries: listed,
      warnings,
    });
    if (html && process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(html).write();

    for (const [name, value] of out.values) core.setOutput(name, value);
    // The same requests as a file: one environment variable holds at most 128 KiB on Linux.
    core.setOutput('requests-file', writeRequestsFile(out.values.find(([n]) => n === 'requests')?.[1] ?? '{}'));
    // After the outputs: the comment is a courtesy that warns on failure and never fails the step.
    if (p.comment) {
      await postLinksComment({
        token: reader.get('github-token'),
        entries: signed.map((s, i) => ({ key: s.key, url: s.url, expiresAt: results[i].expiresAt })),
        log: { info: (m) => log.info(m), warning: (m) => log.warning(m) },
      });
    }
  } catch (e) {
    if (e instanceof InputError) log.fail(e.message);
    else log.fail(`cos-presign failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

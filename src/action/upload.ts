/**
 * The action's upload modes.
 *
 * - `upload: 'true'` with `files`: uploads every matched file itself (the engine, every request
 *   presigned just before it is sent), then sets `url`/`urls`/`requests` to presigned GET links of
 *   the stored objects, checked once each, and `uploaded`: key -> {file, size, etag, checksum, parts}.
 * - `put-requests`: the consumer side for a job that holds no credentials: uploads each entry of
 *   another job's `requests` (JSON, or the path of a requests file) and sets `uploaded`.
 *
 * On failure nothing is set; the error names the file and the keys already stored.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { isPresignError } from '../core/errors';
import { presign } from '../core/presign';
import type { PresignInput } from '../core/types';
import { callContext, uploadFiles } from '../transfer/engine';
import { closeAgent } from '../transfer/http';
import { checkLinks } from '../transfer/links';
import { premadeEntries, putPremade } from '../transfer/premade';
import { coreSigner } from '../transfer/signer';
import { TransferError, UploadedObject, UploadItem } from '../transfer/types';
import { contentType } from './files';
import { summaryHtml } from './format';
import type { TemporaryOutputs } from './credentials';
import * as log from './log';
import { buildOutputs, SignedEntry } from './outputs';
import { postLinksComment } from './sticky-comment';
import { quote } from '../shared/values';
import { bool, fromPresignError, InputError, InputReader, KeyOrigin, SummaryMode } from './inputs';
import { writeRequestsFile } from './requests-file';
import { keyUnderBase, UploadGrant, uploadGrant, UploadSettings, uploadSettings } from './upload-inputs';
import type { Provider } from '../core/types';

/** What upload mode needs of main.ts's plan (structurally the same fields). */
export interface UploadPlan {
  provider: Provider;
  method: string;
  base: Omit<PresignInput, 'key' | 'headers'>;
  headers: Record<string, string>;
  entries: Array<{ key: string; origin: KeyOrigin; file?: { absolute: string; relative: string } }>;
  creds: { source: string; envSource?: string };
  summary: SummaryMode;
  maskUrls: boolean;
  comment: boolean;
  endpointIsDomain: boolean;
  warnings: string[];
}

/** `upload: 'true'`. */
export function uploadRequested(r: InputReader): boolean {
  return bool(r, 'upload', false);
}

function uploadedJson(list: UploadedObject[]): string {
  return JSON.stringify(
    Object.fromEntries(
      list.map((u) => [
        u.key,
        {
          file: u.file,
          size: u.size,
          etag: u.etag,
          checksum: u.checksum,
          parts: u.parts,
          ...(u.skipped ? { skipped: true } : {}),
        },
      ]),
    ),
  );
}

function failed(e: unknown, rerun: string): never {
  if (e instanceof TransferError) {
    const stored = e.stored.length ? `; already stored: ${e.stored.join(', ')} (${rerun})` : '; no file was stored';
    throw new Error(`${e.message}${stored}`);
  }
  throw e;
}

function items(p: UploadPlan, baseDir: string): UploadItem[] {
  const userType = Object.keys(p.headers).some((n) => n.toLowerCase() === 'content-type');
  return p.entries.map((e) => {
    if (!e.file)
      throw new InputError(
        e.origin,
        `upload: 'true' uploads local files; key ${quote(e.key)} has no file. List the files in files (key and keys are for signing only)`,
      );
    const prefix = e.key.slice(0, e.key.length - e.file.relative.length);
    const key = keyUnderBase(prefix, e.file.absolute, baseDir);
    return {
      file: e.file.absolute,
      name: e.file.relative,
      key,
      headers: userType ? p.headers : { 'Content-Type': contentType(e.file.relative), ...p.headers },
    };
  });
}

/** Upload mode worked out before any credential is used: settings, the final keys, what to grant. */
export interface PreparedUpload {
  settings: UploadSettings;
  items: UploadItem[];
  /** For `scope: objects`: the temporary credentials are narrowed to exactly this. */
  grant: UploadGrant;
}

/**
 * Everything upload mode can check and decide without credentials: refusals come before any STS
 * call, and the keys and sizes are known before the credentials are narrowed to them.
 */
export async function prepareUpload(p: UploadPlan, r: InputReader): Promise<PreparedUpload> {
  if (p.method !== 'GET')
    throw new InputError(
      'method',
      `upload: 'true' uploads the files and signs GET links for them; remove method (it is ${p.method})`,
    );
  if (p.entries.length === 0) throw new InputError('files', `upload: 'true' needs files that match; nothing to upload`);
  for (const n of Object.keys(p.headers)) {
    if (/^content-(length|md5)$/i.test(n))
      throw new InputError('headers', `${n} is computed from each file in upload mode; remove it from headers`);
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const settings = uploadSettings(r, p.provider, workspace);
  const list = items(p, settings.baseDir);
  const sized = await Promise.all(
    list.map(async (it) => {
      try {
        return { key: it.key, size: (await fsp.stat(it.file)).size };
      } catch (e) {
        throw new InputError(
          'files',
          `cannot read ${quote(it.name ?? it.file)} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}); it was matched but is gone`,
        );
      }
    }),
  );
  return { settings, items: list, grant: uploadGrant(sized, settings) };
}

export async function runUploadMode(
  p: UploadPlan,
  r: InputReader,
  prepared: PreparedUpload,
  temporary?: TemporaryOutputs,
): Promise<void> {
  const { settings: s, items: list } = prepared;
  const { method: _m, expires: _e, startTime: _s, params: _p, ...signBase } = p.base;
  // Every upload signed once before any byte moves: a bad key or header is refused up front.
  for (const it of list) {
    try {
      presign({ ...signBase, key: it.key, method: 'PUT', headers: it.headers } as PresignInput);
    } catch (err) {
      if (isPresignError(err))
        throw fromPresignError(err, {
          key: it.key,
          origin: 'files',
          endpointIsDomain: p.endpointIsDomain,
          credentialSource: p.creds.envSource,
        });
      throw err;
    }
  }
  log.info(`Credentials: ${p.creds.source}`);
  log.info(
    `Uploading ${list.length} file${list.length === 1 ? '' : 's'} to ${p.provider} bucket ${quote(String(p.base.bucket))} (${s.concurrency} at a time)`,
  );
  const options = {
    provider: p.provider,
    sign: coreSigner(signBase),
    concurrency: s.concurrency,
    retries: s.retries,
    partSize: s.partSize,
    multipartThreshold: s.multipartThreshold,
    skipUnchanged: s.skipUnchanged,
    log: (l: string) => log.info(l),
  };
  let uploaded: UploadedObject[];
  const cancel = cancelOnSignal();
  try {
    uploaded = await uploadFiles(list, { ...options, signal: cancel.signal });
    const now = Date.now();
    const links = uploaded.map((u) => {
      const res = presign({ ...p.base, key: u.key, method: 'GET', headers: {} } as PresignInput, { now: () => now });
      return {
        key: u.key,
        url: res.url,
        size: u.size,
        expiresAt: res.expiresAt,
        headers: res.headers,
        file: list.find((i) => i.key === u.key)!.name,
      };
    });
    if (s.verifyLinks) {
      await checkLinks(callContext(options), links, s.concurrency);
      log.info(`Checked ${links.length} link${links.length === 1 ? '' : 's'} (GET bytes=0-0): all answer`);
    }
    const signed: SignedEntry[] = links.map((l) => ({
      key: l.key,
      url: l.url,
      method: 'GET',
      headers: l.headers,
      file: l.file,
    }));
    // The links are outputs like signing mode's: the same pure decision, plus what was stored.
    const out = buildOutputs({ entries: signed, expiresAt: links[0].expiresAt, maskUrls: p.maskUrls, temporary });
    for (const m of out.masks) core.setSecret(m);
    const warnings = [...new Set([...p.warnings, ...out.warnings])];
    const html = summaryHtml(p.summary, {
      provider: p.provider,
      bucket: String(p.base.bucket),
      expiresAt: out.expiresAt,
      entries: signed,
      warnings,
    });
    for (const w of warnings) log.warning(w);
    if (html && process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(html).write();
    const requestsJson = out.values.find(([n]) => n === 'requests')?.[1] ?? '{}';
    for (const [name, value] of out.values) core.setOutput(name, value);
    core.setOutput('uploaded', uploadedJson(uploaded));
    core.setOutput('requests-file', writeRequestsFile(requestsJson));
    // After the outputs: the comment is a courtesy that warns on failure and never fails the step.
    if (p.comment) {
      await postLinksComment({
        token: r.get('github-token'),
        entries: links.map((l) => ({ key: l.key, size: l.size, url: l.url, expiresAt: l.expiresAt })),
        log: { info: (m) => log.info(m), warning: (m) => log.warning(m) },
      });
    }
  } catch (e) {
    failed(e, "a rerun with skip-unchanged: 'true' sends only the rest");
  } finally {
    cancel.dispose();
    await closeAgent();
  }
}

function readRequests(raw: string, workspace: string): { json: unknown; text: string } {
  let text = raw;
  if (!raw.trimStart().startsWith('{')) {
    const file = path.resolve(workspace, raw);
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(
        'put-requests',
        `is neither JSON nor a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}: ${quote(raw)}); pass another job's requests output or the path of its requests-file`,
      );
    }
  }
  try {
    return { json: JSON.parse(text), text };
  } catch {
    throw new InputError(
      'put-requests',
      "is not valid JSON; pass another job's requests output (key -> {url, method, headers, file}) or the path of its requests-file",
    );
  }
}

export async function runPutRequests(r: InputReader): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const { json, text } = readRequests(r.get('put-requests'), workspace);
  const s = uploadSettings(r, 's3', workspace);
  let entries;
  try {
    entries = premadeEntries(json, s.baseDir);
  } catch (e) {
    throw new InputError('put-requests', (e as Error).message);
  }
  log.info(
    `Uploading ${entries.length} file${entries.length === 1 ? '' : 's'} through the given presigned PUT URLs (no credentials used)`,
  );
  const cancel = cancelOnSignal();
  try {
    const uploaded = await putPremade(entries, {
      concurrency: s.concurrency,
      retries: s.retries,
      log: (l) => log.info(l),
      signal: cancel.signal,
    });
    core.setOutput('uploaded', uploadedJson(uploaded));
    core.setOutput('requests-file', writeRequestsFile(text));
  } catch (e) {
    if (e instanceof TransferError) e.message = `key ${quote(e.key)}: ${e.message}`;
    failed(e, 'run again; uploads through the same URLs replace them');
  } finally {
    cancel.dispose();
    await closeAgent();
  }
}

/**
 * A cancelled job: the runner sends SIGINT (then SIGTERM, then kills). The upload stops, open
 * multipart uploads are aborted (no billed parts left), and the step fails naming what was stored.
 */
function cancelOnSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}

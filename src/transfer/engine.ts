/**
 * The upload engine: files in, stored and verified objects out. Single PUT at or below the
 * multipart threshold, multipart above it; `concurrency` requests in flight over all files and
 * parts; skip-unchanged by a presigned HEAD. The first failure stops new work, lets what is in
 * flight finish (stored, or aborted), and is thrown as a TransferError naming the file, with the
 * keys already stored.
 */
import { digestBuffer, digestFile, digestParts } from './hashing';
import { NetworkError, withoutUrls } from './http';
import { putMultipart } from './multipart';
import { call, CallContext } from './request';
import { Semaphore } from './semaphore';
import { LocalFile, openLocal, putSingle } from './single';
import {
  DEFAULT_MULTIPART_THRESHOLD,
  DEFAULT_PART_SIZE,
  formatSize,
  MAX_SINGLE_PUT,
  planParts,
  useMultipart,
} from './sizes';
import { Digests, TransferError, UploadedObject, UploadItem, UploadOptions } from './types';
import { hexOfBase64, multipartEtag } from './verify';

/** Large-file progress: a line every 10 s or 10 %, whichever comes first. */
const PROGRESS_MS = 10_000;

export function callContext(o: UploadOptions): CallContext {
  return {
    provider: o.provider,
    sign: o.sign,
    retries: o.retries ?? 5,
    timeoutMs: o.timeoutMs ?? 120_000,
    minRetryDelayMs: o.minRetryDelayMs ?? 500,
    log: o.log ?? (() => undefined),
    now: o.now ?? Date.now,
    signal: o.signal,
  };
}

function rate(bytes: number, ms: number): string {
  return `${((bytes / 1048576 / Math.max(ms, 1)) * 1000).toFixed(1)} MiB/s`;
}

/** Whether the stored object already holds this file (size and checksum), by a presigned HEAD. */
async function unchanged(
  ctx: CallContext,
  item: UploadItem,
  size: number,
  partSize: number | undefined,
  small: Digests | undefined,
): Promise<{ etag: string; checksum: string } | undefined> {
  const head = await call(ctx, {
    what: 'checking the stored object',
    method: 'HEAD',
    key: item.key,
    sign: {},
    accept: (s) => s === 404,
  });
  if (head.status === 404 || Number(head.headers['content-length']) !== size) return undefined;
  const etag = head.headers.etag ?? '';
  const tag = etag.replace(/"/g, '').toLowerCase();
  if (ctx.provider === 's3') {
    // Digest as the upload would: the part MD5s when it would go multipart, and the whole MD5.
    const d =
      partSize !== undefined
        ? await digestParts(item.file, partSize)
        : { md5: (small ?? (await digestFile(item.file, false))).md5, partMd5s: undefined };
    const multi = d.partMd5s ? multipartEtag(d.partMd5s) : undefined;
    // Only a real comparison counts as "unchanged": an ETag that is not an MD5 proves nothing.
    if (tag !== hexOfBase64(d.md5) && tag !== multi) return undefined;
    return { etag, checksum: multi ? `md5:${multi}` : `md5:${hexOfBase64(d.md5)}` };
  }
  const remoteCrc = head.headers[`x-${ctx.provider}-hash-crc64ecma`];
  if (remoteCrc === undefined) return undefined;
  const whole = small ?? (await digestFile(item.file, true));
  return remoteCrc === whole.crc64 ? { etag, checksum: `crc64ecma:${whole.crc64}` } : undefined;
}

async function uploadOne(
  ctx: CallContext,
  o: UploadOptions,
  item: UploadItem,
  slots: Semaphore,
): Promise<UploadedObject> {
  const name = item.name ?? item.file;
  const local: LocalFile = openLocal(item.file);
  const size = local.size;
  o.onProgress?.({ type: 'start', key: item.key, size });
  // A small file is in memory: its digests serve skip-unchanged and the PUT alike.
  const small = local.data ? digestBuffer(local.data, ctx.provider !== 's3') : undefined;
  const threshold = o.singlePutOnly ? Infinity : (o.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD);
  const multipart = useMultipart(size, threshold);
  if (multipart && o.singlePutOnly)
    throw new Error(`is ${formatSize(size)}; one PUT carries at most ${formatSize(MAX_SINGLE_PUT)}`);
  const plan = multipart ? planParts(size, o.partSize ?? DEFAULT_PART_SIZE, o.provider) : undefined;
  const headers = item.headers ?? {};
  const started = ctx.now();

  if (o.skipUnchanged) {
    const same = await unchanged(ctx, item, size, plan?.partSize, small);
    if (same) {
      ctx.log(`unchanged ${item.key} (${formatSize(size)}), not sent again`);
      o.onProgress?.({ type: 'done', key: item.key, size, skipped: true });
      return { key: item.key, file: name, size, etag: same.etag, checksum: same.checksum, parts: 0, skipped: true };
    }
  }

  if (plan) {
    let lastLog = started;
    let lastTenth = 0;
    const r = await putMultipart(ctx, {
      file: item.file,
      key: item.key,
      size,
      mtimeMs: local.mtimeMs,
      plan,
      headers,
      slots,
      onPart: (done) => {
        o.onProgress?.({ type: 'bytes', key: item.key, bytes: done });
        const tenth = Math.floor((done / size) * 10);
        const t = ctx.now();
        if (done < size && (t - lastLog >= PROGRESS_MS || tenth > lastTenth)) {
          lastLog = t;
          lastTenth = tenth;
          ctx.log(
            `${item.key}: ${Math.floor((done / size) * 100)}% of ${formatSize(size)} (${rate(done, t - started)})`,
            'progress',
          );
        }
      },
    });
    ctx.log(`stored ${item.key} (${formatSize(size)} in ${r.parts} parts, ${rate(size, ctx.now() - started)})`);
    o.onProgress?.({ type: 'done', key: item.key, size, skipped: false });
    return { key: item.key, file: name, size, etag: r.etag, checksum: r.checksum, parts: r.parts };
  }

  return slots.with(async () => {
    let d = small;
    if (!d) {
      d = await digestFile(item.file, ctx.provider !== 's3');
      if (d.size !== size) throw new Error(`changed size while it was hashed (${size} -> ${d.size} bytes)`);
    }
    const sent = o.onProgress && ((bytes: number) => o.onProgress!({ type: 'bytes', key: item.key, bytes }));
    const r = await putSingle(ctx, item.file, item.key, d, headers, local.data, sent);
    ctx.log(`stored ${item.key} (${formatSize(size)}, ${rate(size, ctx.now() - started)})`);
    o.onProgress?.({ type: 'done', key: item.key, size, skipped: false });
    return { key: item.key, file: name, size, etag: r.etag, checksum: r.checksum, parts: 0 };
  });
}

/**
 * Uploads every item; resolves with one UploadedObject per item, in the items' order. Rejects
 * with a TransferError naming the first file that failed.
 */
export async function uploadFiles(items: UploadItem[], o: UploadOptions): Promise<UploadedObject[]> {
  const ctx = callContext(o);
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const slots = new Semaphore(concurrency);
  const results: UploadedObject[] = new Array(items.length);
  let failure: TransferError | undefined;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length && !failure && !o.signal?.aborted; i = next++) {
      const item = items[i];
      try {
        results[i] = await uploadOne(ctx, o, item, slots);
      } catch (e) {
        const msg = e instanceof NetworkError ? e.message : withoutUrls(e instanceof Error ? e.message : String(e));
        failure ??= new TransferError(item.name ?? item.file, item.key, msg);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (!failure && o.signal?.aborted) {
    // Interrupted between files: name the first one that was not stored.
    const i = results.findIndex((r) => r === undefined);
    if (i >= 0)
      failure = new TransferError(items[i].name ?? items[i].file, items[i].key, 'interrupted before it was sent');
  }
  if (failure) {
    failure.stored = results.filter((r) => r && !r.skipped).map((r) => r.key);
    throw failure;
  }
  return results;
}

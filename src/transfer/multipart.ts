/**
 * Multipart upload through presigned requests: initiate (`POST ?uploads`), parts
 * (`PUT ?partNumber=&uploadId=`, each signed just before it is sent, each retried alone), complete
 * (`POST ?uploadId=` with the part list; a 200 whose body is an error is a failure), and on any
 * failure abort (`DELETE ?uploadId=`) so no billed parts are left behind.
 *
 * Parts are read from disk in order into a pool of part-sized buffers, one per request in flight
 * (memory stays at concurrency x part size), so the whole-file CRC-64 (COS, TOS) is computed in
 * the same pass without reading the file twice. Each part's MD5 is its Content-MD5; for S3 the
 * part MD5s are also what the multipart ETag is checked against, so no whole-file MD5 is needed.
 */
import { promises as fsp } from 'node:fs';
import { md5Base64 } from '../core/hash';
import { Digester, readRange } from './hashing';
import type { HttpResponse } from './http';
import { call, CallContext, FatalError, RetryableError } from './request';
import {
  completeBody,
  completedEtag,
  errorFields,
  isErrorBody,
  isRetryableAnswer,
  uploadIdOf,
  explainRefusal,
} from './responses';
import { Semaphore } from './semaphore';
import type { PartPlan } from './sizes';
import { formatSize } from './sizes';
import { verifyStored } from './verify';

export interface MultipartResult {
  etag: string;
  checksum: string;
  parts: number;
  size: number;
}

export interface MultipartJob {
  file: string;
  key: string;
  size: number;
  mtimeMs: number;
  plan: PartPlan;
  headers: Record<string, string>;
  slots: Semaphore;
  onPart?: (bytesDone: number) => void;
}

interface DonePart {
  partNumber: number;
  etag: string;
  md5: string;
}

function initiate(ctx: CallContext, job: MultipartJob): Promise<string> {
  return call(ctx, {
    what: 'initiating the multipart upload',
    method: 'POST',
    key: job.key,
    sign: { headers: job.headers, params: { uploads: '' } },
    headers: job.headers,
    check: (res) => {
      if (!uploadIdOf(res.text))
        throw new RetryableError('the answer to initiating the multipart upload has no UploadId');
    },
  }).then((res) => uploadIdOf(res.text));
}

async function sendPart(
  ctx: CallContext,
  job: MultipartJob,
  uploadId: string,
  partNumber: number,
  buf: Buffer,
  md5: string,
): Promise<DonePart> {
  const headers = { 'Content-Length': String(buf.length), 'Content-MD5': md5 };
  const res = await call(ctx, {
    what: `part ${partNumber} of ${job.plan.count}`,
    method: 'PUT',
    key: job.key,
    sign: { headers, params: { partNumber: String(partNumber), uploadId } },
    headers,
    body: () => buf,
    check: (r) => {
      if (!r.headers.etag)
        throw new RetryableError(`part ${partNumber} of ${job.plan.count} was answered without an ETag`);
    },
  });
  return { partNumber, etag: res.headers.etag, md5 };
}

async function complete(ctx: CallContext, job: MultipartJob, uploadId: string, parts: DonePart[]) {
  const text = completeBody(
    ctx.provider,
    parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
  );
  const headers = { 'Content-Type': ctx.provider === 'tos' ? 'application/json' : 'application/xml' };
  return call(ctx, {
    what: 'completing the multipart upload',
    method: 'POST',
    key: job.key,
    sign: { headers, params: { uploadId } },
    headers: { ...headers, 'Content-Length': String(Buffer.byteLength(text)) },
    body: () => Buffer.from(text),
    check: (res) => {
      // COS and S3 send 200 before the merge ends; the outcome is in the body.
      if (!isErrorBody(res.text)) return;
      const se = { ...errorFields(res), status: res.status };
      const msg = `completing the multipart upload answered 200 with an error${se.code ? ` ${se.code}` : ''}${se.message ? `: ${se.message}` : ''}`;
      if (isRetryableAnswer({ ...se, status: 200 }) || se.code === 'InternalError') throw new RetryableError(msg);
      throw new FatalError(
        explainRefusal({ ...se, status: 200 }, 'completing the multipart upload').replace(
          'was refused with HTTP 200',
          'answered 200 with an error',
        ),
      );
    },
  });
}

/** Best effort: a failed abort is reported in the error, with the upload id to clean up. */
async function abort(ctx: CallContext, key: string, uploadId: string): Promise<string> {
  try {
    // Not cancelled by an interrupt: cleaning up is what an interrupt asks for.
    await call(
      { ...ctx, signal: undefined },
      {
        what: 'aborting the multipart upload',
        method: 'DELETE',
        key,
        sign: { params: { uploadId } },
        accept: (s) => s === 404,
      },
    );
    return '; the multipart upload was aborted, no parts are left';
  } catch (e) {
    return `; aborting the multipart upload failed too (${(e as Error).message}): upload id ${uploadId} is left open, abort it or set a lifecycle rule`;
  }
}

export async function putMultipart(ctx: CallContext, job: MultipartJob): Promise<MultipartResult> {
  const uploadId = await initiate(ctx, job);
  // COS and TOS compare the CRC-64 of the whole object; S3 the ETag against the part MD5s.
  const whole = new Digester(ctx.provider !== 's3', false);
  const pool: Buffer[] = [];
  const done: DonePart[] = [];
  const inflight: Promise<void>[] = [];
  let failure: Error | undefined;
  let bytesDone = 0;
  let res: HttpResponse;
  try {
    for (let i = 0; i < job.plan.count && !failure; i++) {
      await job.slots.acquire();
      if (failure) {
        job.slots.release();
        break;
      }
      const offset = i * job.plan.partSize;
      const length = Math.min(job.plan.partSize, job.size - offset);
      let buf: Buffer;
      try {
        buf = await readRange(job.file, offset, length, pool.pop() ?? Buffer.allocUnsafe(job.plan.partSize));
      } catch (e) {
        job.slots.release();
        throw e;
      }
      const pooled = buf;
      if (buf.length !== length) {
        job.slots.release();
        throw new FatalError(`changed size during the upload (it was ${job.size} bytes; part ${i + 1} ends early)`);
      }
      whole.update(buf);
      const md5 = md5Base64(buf);
      inflight.push(
        sendPart(ctx, job, uploadId, i + 1, buf, md5)
          .then(
            (p) => {
              done.push(p);
              bytesDone += length;
              job.onPart?.(bytesDone);
            },
            (e) => {
              failure ??= e;
            },
          )
          .finally(() => {
            // The request has settled (every attempt): its buffer can hold the next part.
            pool.push(Buffer.from(pooled.buffer, pooled.byteOffset, job.plan.partSize));
            job.slots.release();
          }),
      );
    }
    await Promise.all(inflight);
    if (failure) throw failure;
    const st = await fsp.stat(job.file);
    if (st.size !== job.size || st.mtimeMs !== job.mtimeMs) {
      throw new FatalError(
        `changed during the upload (size ${job.size} -> ${st.size} bytes, or modified); nothing was stored`,
      );
    }
    done.sort((a, b) => a.partNumber - b.partNumber);
    res = await complete(ctx, job, uploadId, done);
  } catch (e) {
    await Promise.allSettled(inflight);
    const note = await abort(ctx, job.key, uploadId);
    const err = e instanceof Error ? e : new Error(String(e));
    throw new FatalError(
      `${err.message} (multipart upload of ${formatSize(job.size)} in ${job.plan.count} parts)${note}`,
    );
  }
  const sums = whole.digest();
  let headers = res.headers;
  let etag = completedEtag(res);
  if (ctx.provider !== 's3' && !headers[`x-${ctx.provider}-hash-crc64ecma`]) {
    // The checksum may come only once the merge is done: read it from the stored object.
    const head = await call(ctx, { what: 'reading the stored object', method: 'HEAD', key: job.key, sign: {} });
    headers = head.headers;
    etag = head.headers.etag ?? etag;
  }
  const v = verifyStored(
    ctx.provider,
    headers,
    etag,
    { md5: sums.md5, crc64: sums.crc64, partMd5s: done.map((p) => p.md5) },
    job.headers,
  );
  if (!v.ok) throw new FatalError(`${v.reason} (it was stored: delete it or upload again)`);
  return { etag, checksum: v.checksum, parts: job.plan.count, size: sums.size };
}

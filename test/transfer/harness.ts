/**
 * Shared set-up of the transfer tests: a server per provider (COS and TOS test servers that verify
 * signatures with the official SDKs' signers, @20minutes/s3rver for S3), engine options signing
 * through the core, temporary files, and read-back through a separately signed GET.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { presign } from '../../src/core/presign';
import type { PresignInput, Provider } from '../../src/core/types';
import { coreSigner, SignBase } from '../../src/transfer/signer';
import { TransferError, UploadOptions } from '../../src/transfer/types';
import { COS_TEST_BUCKET, COS_TEST_CREDENTIALS, startCosServer } from '../helpers/cos-server';
import type { RunningObjectServer } from '../helpers/object-server';
import { S3RVER_BUCKET, S3RVER_CREDENTIALS, send, startS3rver } from '../helpers/s3rver';
import { startTosServer, TOS_TEST_BUCKET, TOS_TEST_CREDENTIALS, TOS_TEST_REGION } from '../helpers/tos-server';

export const MiB = 1024 * 1024;

export interface Target {
  provider: Provider;
  base: SignBase;
  /** The COS/TOS test server (undefined for s3rver). */
  server?: RunningObjectServer;
  endpoint: string;
  stop(): Promise<void>;
}

export function baseFor(provider: Provider, endpoint: string): SignBase {
  if (provider === 'cos') return { provider, ...COS_TEST_CREDENTIALS, bucket: COS_TEST_BUCKET, domain: endpoint };
  if (provider === 'tos')
    return {
      provider,
      ...TOS_TEST_CREDENTIALS,
      bucket: TOS_TEST_BUCKET,
      region: TOS_TEST_REGION,
      endpoint,
      isCustomDomain: true,
    };
  return {
    provider,
    ...S3RVER_CREDENTIALS,
    bucket: S3RVER_BUCKET,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
  };
}

export async function startTarget(provider: Provider): Promise<Target> {
  if (provider === 's3') {
    const s = await startS3rver();
    return { provider, base: baseFor(provider, s.endpoint), endpoint: s.endpoint, stop: s.stop };
  }
  const server = provider === 'cos' ? await startCosServer() : await startTosServer();
  return { provider, base: baseFor(provider, server.endpoint), server, endpoint: server.endpoint, stop: server.stop };
}

export function engineOptions(t: Target, extra: Partial<UploadOptions> = {}): UploadOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    provider: t.provider,
    sign: coreSigner(t.base),
    concurrency: 3,
    retries: 4,
    minRetryDelayMs: 5,
    timeoutMs: 5000,
    log: (l) => lines.push(l),
    lines,
    ...extra,
  };
}

/** The stored bytes, fetched through a GET presigned here (not by the engine). */
export async function readBack(t: Target, key: string): Promise<{ status: number; body: Buffer }> {
  const r = presign({ ...(t.base as PresignInput), key, method: 'GET', expires: 300 });
  const res = await send(r.url);
  return { status: res.status, body: res.body };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-transfer-'));
}

export function writeRandom(dir: string, name: string, size: number): { file: string; data: Buffer } {
  const data = randomBytes(size);
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return { file, data };
}

/** The TransferError `p` rejects with (the test fails when it resolves or throws something else). */
export async function transferFailure(p: Promise<unknown>): Promise<TransferError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TransferError);
    return e as TransferError;
  }
  throw new Error('the upload did not fail');
}

/** Makes the test server hold its answer to part `partNumber` for `ms` (an upload in flight). */
export function hangPart(server: RunningObjectServer, partNumber: number, ms: number): void {
  server.faults.push({
    match: (r) => r.op === 'part' && r.query.get('partNumber') === String(partNumber),
    times: 1,
    action: { delayMs: ms },
  });
}

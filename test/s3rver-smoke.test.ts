import { presign } from '../src';
import { send, startS3rver, S3RVER_BUCKET, S3RVER_CREDENTIALS, RunningS3rver } from './helpers/s3rver';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
});
afterAll(async () => {
  await server.stop();
});

test('a presigned PUT then GET round-trips through a signature-checking server', async () => {
  const base = {
    provider: 's3' as const,
    ...S3RVER_CREDENTIALS,
    bucket: S3RVER_BUCKET,
    endpoint: server.endpoint,
    key: 'smoke/hello.txt',
  };
  const put = presign({ ...base, method: 'PUT', headers: { 'Content-Type': 'text/plain' } });
  expect((await send(put.url, { method: 'PUT', headers: put.headers, body: 'hello' })).status).toBe(200);
  const got = await send(presign(base).url);
  expect(got.status).toBe(200);
  expect(got.body.toString()).toBe('hello');
  const bad = presign({ ...base, secretKey: 'WRONG' });
  expect((await send(bad.url)).status).toBe(403);
});

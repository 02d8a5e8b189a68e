#!/usr/bin/env node
/**
 * `npm run bench:upload`: upload throughput of the cos-presign engine (built lib/) beside
 * @aws-sdk/lib-storage `Upload` and cos-nodejs-sdk-v5 `uploadFile`, against one local sink server
 * on 127.0.0.1 (its own process): (a) one 1 GiB file, (b) 1,000 files of 64 KiB.
 *
 * Same part size and queue size for everyone (BENCH_PART, default 16 MiB; BENCH_QUEUE, default 4):
 * lib-storage partSize/queueSize, COS ChunkSize/AsyncLimit (and FileParallelLimit for (b)), the
 * engine's partSize/concurrency. Each run is its own child process, so peak RSS (maxRSS) is that
 * client's alone. The sink answers the S3/COS object and multipart calls, reads and discards
 * bodies, checks no signature, and echoes Content-MD5 as the ETag (so it spends no CPU hashing; a
 * completed upload's ETag is the MD5 of the part ETags with -N, as AWS's);
 * the engine runs as COS (MD5 + CRC-64 per byte) and as S3 (MD5).
 *
 * Each case runs BENCH_ROUNDS times (default 3), the clients' order rotated every round so that no
 * client always goes first, and the median time (and the largest peak RSS) is reported. Before
 * the first round the data is flushed to disk (no writeback during a run) and the sink answers a
 * few thousand requests (so its JIT is warm for whoever comes first).
 *
 * Env: BENCH_BIG_MIB (default 1024), BENCH_SMALL_FILES (default 1000), BENCH_ROUNDS (default 3),
 * BENCH_ONLY (a client name).
 */
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const MiB = 1024 * 1024;
const PART = Number(process.env.BENCH_PART || 16 * MiB);
const QUEUE = Number(process.env.BENCH_QUEUE || 4);
const BIG_MIB = Number(process.env.BENCH_BIG_MIB || 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES || 1000);
const SMALL_SIZE = 64 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const BUCKET = 'bench-1250000000';
const CREDS = { secretId: 'AKIDbenchbenchbenchbench', secretKey: 'bench-secret-not-real-0000000000' };

// ---- the sink (child process: `node upload.bench.js --sink`) ---------------------------------

function sink() {
  let uploads = 0;
  const server = http.createServer((req, res) => {
    const [p, q = ''] = (req.url || '/').split('?');
    const query = new URLSearchParams(q);
    // Only the (small) complete body is kept; everything else is discarded as it arrives.
    const body = [];
    req.on('data', (c) => {
      if (req.method === 'POST') body.push(String(c));
    });
    req.on('end', () => {
      const md5 = req.headers['content-md5'];
      const etag = `"${md5 ? Buffer.from(String(md5), 'base64').toString('hex') : crypto.randomBytes(16).toString('hex')}"`;
      const xml = (s) => {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(s);
      };
      if (req.method === 'POST' && query.has('uploads'))
        return xml(
          `<InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${p.slice(1)}</Key><UploadId>u${++uploads}</UploadId></InitiateMultipartUploadResult>`,
        );
      if (req.method === 'POST' && query.has('uploadId')) {
        // As AWS: the MD5 of the part ETags (binary) with -N; the part ETags echo their Content-MD5.
        const tags = [...body.join('').matchAll(/<ETag>(?:&quot;|")?([0-9a-f]{32})(?:&quot;|")?<\/ETag>/g)].map((m) =>
          Buffer.from(m[1], 'hex'),
        );
        const multi = `"${crypto.createHash('md5').update(Buffer.concat(tags)).digest('hex')}-${tags.length}"`;
        return xml(
          `<CompleteMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${p.slice(1)}</Key><ETag>${multi}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      if (req.method === 'GET' && query.has('uploads'))
        return xml(`<ListMultipartUploadsResult><Bucket>${BUCKET}</Bucket></ListMultipartUploadsResult>`);
      if (req.method === 'GET' && query.has('uploadId'))
        return xml(`<ListPartsResult><Bucket>${BUCKET}</Bucket></ListPartsResult>`);
      if (req.method === 'PUT') {
        res.writeHead(200, { ETag: etag });
        return res.end();
      }
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'Content-Length': 0, ETag: '"sink"' });
        return res.end();
      }
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      res.end('<Error><Code>NoSuchKey</Code><Message>sink</Message></Error>');
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

// ---- the clients (child process: `node upload.bench.js --run <client> <case> <port> <dir>`) ----

async function runEngine(provider, files, endpoint) {
  const t = require(path.join(__dirname, '..', 'lib', 'src', 'transfer', 'index.js'));
  const base =
    provider === 'cos'
      ? { provider, ...CREDS, bucket: BUCKET, domain: endpoint }
      : { provider, ...CREDS, bucket: BUCKET, region: 'us-east-1', endpoint, forcePathStyle: true };
  const items = files.map((f) => ({ file: f, key: path.basename(f) }));
  await t.uploadFiles(items, {
    provider,
    sign: t.coreSigner(base),
    concurrency: QUEUE,
    partSize: PART,
    multipartThreshold: PART,
  });
  await t.closeAgent();
}

async function runLibStorage(files, endpoint) {
  const { S3Client } = require('@aws-sdk/client-s3');
  const { Upload } = require('@aws-sdk/lib-storage');
  const { NodeHttpHandler } = require('@smithy/node-http-handler');
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: CREDS.secretId, secretAccessKey: CREDS.secretKey },
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      await new Upload({
        client,
        params: { Bucket: BUCKET, Key: path.basename(files[i]), Body: fs.createReadStream(files[i]) },
        partSize: PART,
        queueSize: QUEUE,
      }).done();
    }
  };
  await Promise.all(Array.from({ length: Math.min(files.length === 1 ? 1 : QUEUE, files.length) }, worker));
  client.destroy();
}

async function runCosSdk(files, endpoint) {
  const COS = require('cos-nodejs-sdk-v5');
  const cos = new COS({
    SecretId: CREDS.secretId,
    SecretKey: CREDS.secretKey,
    Domain: endpoint.replace(/^http:\/\//, ''),
    Protocol: 'http:',
    FileParallelLimit: QUEUE,
    ChunkParallelLimit: QUEUE,
    ChunkSize: PART,
    KeepAlive: true,
  });
  const files2 = files.map((f) => ({ Bucket: BUCKET, Region: 'ap-guangzhou', Key: path.basename(f), FilePath: f }));
  await new Promise((resolve, reject) => {
    cos.uploadFiles({ files: files2, SliceSize: PART, ChunkSize: PART, AsyncLimit: QUEUE }, (err, data) => {
      if (err) return reject(err);
      const failed = data.files.filter((f) => f.error);
      return failed.length ? reject(new Error(JSON.stringify(failed[0].error).slice(0, 300))) : resolve();
    });
  });
}

async function runClient(client, files, endpoint) {
  if (client === 'engine-cos') return runEngine('cos', files, endpoint);
  if (client === 'engine-s3') return runEngine('s3', files, endpoint);
  if (client === 'lib-storage') return runLibStorage(files, endpoint);
  if (client === 'cos-sdk') return runCosSdk(files, endpoint);
  throw new Error(`unknown client ${client}`);
}

/** Loads a client's modules before the clock starts (require time is not upload time). */
function preload(client) {
  if (client.startsWith('engine')) require(path.join(__dirname, '..', 'lib', 'src', 'transfer', 'index.js'));
  if (client === 'lib-storage') {
    require('@aws-sdk/client-s3');
    require('@aws-sdk/lib-storage');
    require('@smithy/node-http-handler');
  }
  if (client === 'cos-sdk') require('cos-nodejs-sdk-v5');
}

async function child([client, kase, port, dir]) {
  preload(client);
  const files =
    kase === 'big'
      ? [path.join(dir, 'big.bin')]
      : fs
          .readdirSync(path.join(dir, 'small'))
          .sort()
          .map((f) => path.join(dir, 'small', f));
  const t0 = process.hrtime.bigint();
  await runClient(client, files, `http://127.0.0.1:${port}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

// ---- the orchestrator --------------------------------------------------------------------------

function makeData(dir) {
  const big = path.join(dir, 'big.bin');
  const chunk = crypto.randomBytes(MiB);
  const fd = fs.openSync(big, 'w');
  for (let i = 0; i < BIG_MIB; i++) {
    chunk[0] = i & 255;
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  fs.mkdirSync(path.join(dir, 'small'));
  for (let i = 0; i < SMALL_FILES; i++)
    fs.writeFileSync(path.join(dir, 'small', `f${String(i).padStart(5, '0')}.bin`), crypto.randomBytes(SMALL_SIZE));
}

/** Small PUTs, HEADs and a multipart round to the sink over keep-alive connections (not timed). */
async function warmSink(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: QUEUE });
  const body = crypto.randomBytes(SMALL_SIZE);
  const one = (method, p, data) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: p, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(data);
    });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < 3000; i = next++) {
      await one('PUT', `/${BUCKET}/warm/${i}`, body);
      if (i % 10 === 0) await one('POST', `/${BUCKET}/warm/${i}?uploads`, '');
    }
  };
  await Promise.all(Array.from({ length: QUEUE }, worker));
  agent.destroy();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function startSink() {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--sink'], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.once('data', (d) => resolve({ port: Number(String(d).trim()), proc: p }));
    p.once('error', reject);
  });
}

function main() {
  if (!fs.existsSync(path.join(__dirname, '..', 'lib', 'src', 'transfer', 'index.js')))
    throw new Error('run "npm run build" first (npm run bench:upload does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-bench-upload-'));
  const clients = ['engine-cos', 'engine-s3', 'lib-storage', 'cos-sdk'].filter(
    (c) => !process.env.BENCH_ONLY || c === process.env.BENCH_ONLY,
  );
  let sinkProc;
  (async () => {
    process.stdout.write(`writing ${BIG_MIB} MiB file and ${SMALL_FILES} x 64 KiB files to ${dir}\n`);
    makeData(dir);
    spawnSync('sync');
    const { port, proc } = await startSink();
    sinkProc = proc;
    await warmSink(port);
    process.stdout.write(
      `sink on 127.0.0.1:${port}; part size ${PART / MiB} MiB, queue ${QUEUE}; ${ROUNDS} rounds, median; node ${process.version}, ${os.cpus().length} CPUs\n\n`,
    );
    const rows = [];
    for (const kase of ['big', 'small']) {
      const runs = new Map(clients.map((c) => [c, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = clients.map((_, i) => clients[(i + round) % clients.length]);
        for (const client of order) {
          const r = spawnSync(process.execPath, [__filename, '--run', client, kase, String(port), dir], {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          });
          if (r.status !== 0) {
            process.stdout.write(`${client} ${kase}: FAILED ${r.stderr.split('\n').slice(0, 3).join(' ')}\n`);
            continue;
          }
          runs.get(client).push(JSON.parse(r.stdout.trim().split('\n').pop()));
        }
      }
      for (const client of clients) {
        const ms = runs.get(client);
        if (ms.length === 0) continue;
        const m = { seconds: median(ms.map((x) => x.seconds)), maxRssMiB: Math.max(...ms.map((x) => x.maxRssMiB)) };
        const row = {
          kase,
          client,
          ...m,
          mibps: kase === 'big' ? BIG_MIB / m.seconds : (SMALL_FILES * SMALL_SIZE) / MiB / m.seconds,
          filesps: kase === 'big' ? 1 / m.seconds : SMALL_FILES / m.seconds,
        };
        rows.push(row);
        process.stdout.write(
          `${kase === 'big' ? `(a) 1 x ${BIG_MIB} MiB` : `(b) ${SMALL_FILES} x 64 KiB`}  ${client.padEnd(12)} ${m.seconds.toFixed(2).padStart(7)} s  ${row.mibps.toFixed(1).padStart(7)} MiB/s  ${row.filesps.toFixed(1).padStart(8)} files/s  peak RSS ${m.maxRssMiB.toFixed(0).padStart(5)} MiB\n`,
        );
      }
    }
    const get = (kase, c) => rows.find((r) => r.kase === kase && r.client === c);
    process.stdout.write('\nratios (engine / peer, higher is better):\n');
    for (const kase of ['big', 'small']) {
      for (const eng of ['engine-cos', 'engine-s3']) {
        for (const peer of ['lib-storage', 'cos-sdk']) {
          const a = get(kase, eng);
          const b = get(kase, peer);
          if (a && b)
            process.stdout.write(
              `  ${kase === 'big' ? '(a)' : '(b)'} ${eng} vs ${peer}: ${(a.mibps / b.mibps).toFixed(2)}x\n`,
            );
        }
      }
    }
    const budget = (QUEUE * PART) / MiB + 100;
    for (const eng of ['engine-cos', 'engine-s3']) {
      const a = get('big', eng);
      if (a)
        process.stdout.write(
          `  ${eng} peak RSS on (a): ${a.maxRssMiB.toFixed(0)} MiB (budget concurrency x part-size + 100 MiB = ${budget} MiB): ${a.maxRssMiB <= budget ? 'within' : 'OVER'}\n`,
        );
    }
  })()
    .catch((e) => {
      process.stderr.write(`${e.stack || e}\n`);
      process.exitCode = 1;
    })
    .finally(() => {
      if (sinkProc) sinkProc.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    });
}

if (process.argv[2] === '--sink') sink();
else if (process.argv[2] === '--run')
  child(process.argv.slice(3)).catch((e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
  });
else main();

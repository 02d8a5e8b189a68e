#!/usr/bin/env node
/**
 * `npm run bench`: URLs/second of cos-presign (the built lib/) against the official SDKs and a
 * bare node:crypto chain doing the same cryptographic work per URL, on 20,000 distinct keys.
 * Each contender is warmed up, then timed several times (rounds interleaved so machine noise
 * hits everyone alike) and the median is reported. Then a linearity check at 1k/10k/100k keys.
 *
 * Every contender signs a GET for the same keys with host as the only signed header and a
 * 3600 s lifetime, from "now", as a batch (e.g. an Action run) would. cos-presign runs in both
 * forms: `createPresigner(base).presign(key)` (the batch form: shared work done once) and
 * `presign(input)` called in a loop (the one-shot form, served by its bounded cache of batches).
 *
 * Options (env): BENCH_KEYS (default 20000), BENCH_ROUNDS (default 7), BENCH_WARM_MS (default
 * 2000 per contender), BENCH_ONLY (cos, s3 or tos: one provider, no linearity table).
 */
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const crypto = require('node:crypto');
const path = require('node:path');
const { createPresigner, presign } = require(path.join(__dirname, '..', 'lib', 'src', 'index.js'));
const COS = require('cos-nodejs-sdk-v5');
const TOS = require('@volcengine/tos-sdk').default;
const aws4 = require('aws4');
const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');

const N = Number(process.env.BENCH_KEYS || 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const EXPIRES = 3600;
const WARM_MS = Number(process.env.BENCH_WARM_MS || 2000);

const cred = { secretId: 'AKIDEXAMPLE0123456789abcdefghijkl', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const COS_BUCKET = 'examplebucket-1250000000';
const COS_REGION = 'ap-guangzhou';
const COS_HOST = `${COS_BUCKET}.cos.${COS_REGION}.myqcloud.com`;
const S3_BUCKET = 'examplebucket';
const S3_REGION = 'us-east-1';
const S3_HOST = `${S3_BUCKET}.s3.${S3_REGION}.amazonaws.com`;
const TOS_BUCKET = 'examplebucket';
const TOS_REGION = 'cn-beijing';
const TOS_ENDPOINT = `tos-${TOS_REGION}.volces.com`;
const TOS_HOST = `${TOS_BUCKET}.${TOS_ENDPOINT}`;

/** Distinct, realistic keys: mostly plain paths, one in four with spaces or non-ASCII text. */
function makeKeys(n) {
  const keys = new Array(n);
  for (let i = 0; i < n; i++) {
    const dir = `releases/v${(i % 97) + 1}.${i % 13}`;
    keys[i] = i % 4 === 3 ? `${dir}/报告 ${i} (final).pdf` : `${dir}/app-${i}.tar.gz`;
  }
  return keys;
}

// Path encoding as a caller of aws4 / the bare chain must do it (RFC 3986, "/" kept).
function encodeKeyPath(key) {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}

// The fastest primitive node offers (crypto.hash is one-shot, Node >= 20.12), so the bare chain
// is a true floor.
const hashHex =
  typeof crypto.hash === 'function'
    ? (alg, s) => crypto.hash(alg, s, 'hex')
    : (alg, s) => crypto.createHash(alg).update(s, 'utf8').digest('hex');

function amz(sec) {
  return new Date(sec * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

// ---- contenders: each returns a function signing one key to a URL string ------------------------

const BASE = {
  cos: { provider: 'cos', ...cred, bucket: COS_BUCKET, region: COS_REGION, expires: EXPIRES },
  s3: { provider: 's3', ...cred, bucket: S3_BUCKET, region: S3_REGION, expires: EXPIRES },
  tos: { provider: 'tos', ...cred, bucket: TOS_BUCKET, region: TOS_REGION, expires: EXPIRES },
};

/** The one-shot form: `presign(input)` per key, a fresh input each call (its cache shares the batch). */
const ours = {
  cos: (key) => presign({ ...BASE.cos, key }).url,
  s3: (key) => presign({ ...BASE.s3, key }).url,
  tos: (key) => presign({ ...BASE.tos, key }).url,
};

/** The batch form: one presigner per batch (made here, as a batch would make it once). */
function batch(provider) {
  const signer = createPresigner(BASE[provider]);
  return (key) => signer.presign(key).url;
}

function cosSdk() {
  const cos = new COS({ SecretId: cred.secretId, SecretKey: cred.secretKey });
  return (key) => cos.getObjectUrl({ Bucket: COS_BUCKET, Region: COS_REGION, Key: key, Sign: true, Expires: EXPIRES });
}

/** COS floor: SignKey cached per KeyTime (as the core does); per URL one SHA-1 and one HMAC-SHA1. */
function cosBare() {
  let kt = '';
  let signKey = '';
  return (key) => {
    const now = Math.floor(Date.now() / 1000);
    const t = `${now - 60};${now + EXPIRES}`;
    if (t !== kt) {
      kt = t;
      signKey = crypto.createHmac('sha1', cred.secretKey).update(kt).digest('hex');
    }
    const httpString = `get\n/${key}\n\nhost=${COS_HOST}\n`;
    const sts = `sha1\n${kt}\n${hashHex('sha1', httpString)}\n`;
    const sig = crypto.createHmac('sha1', signKey).update(sts).digest('hex');
    return `https://${COS_HOST}/${key}?q-sign-algorithm=sha1&q-ak=${cred.secretId}&q-sign-time=${kt}&q-key-time=${kt}&q-header-list=host&q-url-param-list=&q-signature=${sig}`;
  };
}

/**
 * HMAC the fastest way node:crypto allows for many messages under one key (RFC 2104 with the
 * pads prepared once, two one-shot hashes per message): the floor for the core's own HMAC.
 */
function padHmac(alg, key) {
  const k = Buffer.from(key);
  const ipad = Buffer.alloc(64, 0x36);
  const outer = Buffer.alloc(64 + (alg === 'sha1' ? 20 : 32), 0x5c);
  for (let i = 0; i < k.length; i++) {
    ipad[i] ^= k[i];
    outer[i] ^= k[i];
  }
  return (msg) => {
    crypto.hash(alg, Buffer.concat([ipad, Buffer.from(msg)]), 'buffer').copy(outer, 64);
    return crypto.hash(alg, outer, 'hex');
  };
}

function cosBarePads() {
  let kt = '';
  let hmac;
  return (key) => {
    const now = Math.floor(Date.now() / 1000);
    const t = `${now - 60};${now + EXPIRES}`;
    if (t !== kt) {
      kt = t;
      hmac = padHmac('sha1', crypto.createHmac('sha1', cred.secretKey).update(kt).digest('hex'));
    }
    const sts = `sha1\n${kt}\n${hashHex('sha1', `get\n/${key}\n\nhost=${COS_HOST}\n`)}\n`;
    return `https://${COS_HOST}/${key}?q-sign-algorithm=sha1&q-ak=${cred.secretId}&q-sign-time=${kt}&q-key-time=${kt}&q-header-list=host&q-url-param-list=&q-signature=${hmac(sts)}`;
  };
}

/** SigV4/TOS4 floor: signing key cached per day; per URL one SHA-256 and one HMAC-SHA256. */
function sigv4Bare({ host, region, service, terminator, secretPrefix, algorithm, prefix }, pads = false) {
  let date = '';
  let kSigning;
  let hmac;
  return (key) => {
    const now = Math.floor(Date.now() / 1000);
    const ts = amz(now);
    const d = ts.slice(0, 8);
    if (d !== date) {
      date = d;
      const kDate = crypto
        .createHmac('sha256', secretPrefix + cred.secretKey)
        .update(d)
        .digest();
      const kRegion = crypto.createHmac('sha256', kDate).update(region).digest();
      const kService = crypto.createHmac('sha256', kRegion).update(service).digest();
      kSigning = crypto.createHmac('sha256', kService).update(terminator).digest();
      hmac = pads ? padHmac('sha256', kSigning) : (m) => crypto.createHmac('sha256', kSigning).update(m).digest('hex');
    }
    const scope = `${d}/${region}/${service}/${terminator}`;
    const q = `${prefix}Algorithm=${algorithm}&${prefix}Credential=${cred.secretId}%2F${scope.replace(/\//g, '%2F')}&${prefix}Date=${ts}&${prefix}Expires=${EXPIRES}&${prefix}SignedHeaders=host`;
    const canonical = `GET\n/${key}\n${q}\nhost:${host}\n\nhost\nUNSIGNED-PAYLOAD`;
    const sts = `${algorithm}\n${ts}\n${scope}\n${hashHex('sha256', canonical)}`;
    return `https://${host}/${key}?${q}&${prefix}Signature=${hmac(sts)}`;
  };
}

function aws4Signer() {
  const creds = { accessKeyId: cred.secretId, secretAccessKey: cred.secretKey };
  return (key) => {
    const r = aws4.sign(
      {
        host: S3_HOST,
        path: `/${encodeKeyPath(key)}?X-Amz-Expires=${EXPIRES}`,
        service: 's3',
        region: S3_REGION,
        signQuery: true,
      },
      creds,
    );
    return `https://${S3_HOST}${r.path}`;
  };
}

function awsV3() {
  const client = new S3Client({
    region: S3_REGION,
    credentials: { accessKeyId: cred.secretId, secretAccessKey: cred.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return (key) => getSignedUrl(client, new GetObjectCommand({ Bucket: S3_BUCKET, Key: key }), { expiresIn: EXPIRES });
}

function tosSdk() {
  const client = new TOS({ accessKeyId: cred.secretId, accessKeySecret: cred.secretKey, region: TOS_REGION });
  return (key) => client.getPreSignedUrl({ bucket: TOS_BUCKET, key, expires: EXPIRES });
}

// ---- timing --------------------------------------------------------------------------------------

let sink = 0; // keeps results alive so no work is optimised away

function runSync(fn, keys) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < keys.length; i++) sink += fn(keys[i]).length;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function runAsync(fn, keys) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < keys.length; i++) sink += (await fn(keys[i])).length;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(contenders, keys, rounds) {
  const times = new Map(contenders.map((c) => [c.name, []]));
  const warm = keys.slice(0, Math.min(keys.length, 5000));
  for (const c of contenders) {
    // Warm-up: V8 needs a few hundred thousand calls of a hot path before its optimised code
    // (and the heap size) settle, so warm each contender for WARM_MS, not a fixed count.
    let spent = 0;
    while (spent < WARM_MS) spent += 1000 * (c.async ? await runAsync(c.fn, warm) : runSync(c.fn, warm));
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      // The v3 presigner is ~100x slower than the rest: three rounds of it are plenty.
      if (c.async && r >= 3) continue;
      const sec = c.async ? await runAsync(c.fn, keys) : runSync(c.fn, keys);
      times.get(c.name).push(keys.length / sec);
    }
  }
  return new Map([...times].map(([name, rates]) => [name, median(rates)]));
}

const fmtRate = (r) => Math.round(r).toLocaleString('en-US');
const fmtRatio = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + 'x';
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const S3_SCHEME = {
  host: S3_HOST,
  region: S3_REGION,
  service: 's3',
  terminator: 'aws4_request',
  secretPrefix: 'AWS4',
  algorithm: 'AWS4-HMAC-SHA256',
  prefix: 'X-Amz-',
};
const TOS_SCHEME = {
  host: TOS_HOST,
  region: TOS_REGION,
  service: 'tos',
  terminator: 'request',
  secretPrefix: '',
  algorithm: 'TOS4-HMAC-SHA256',
  prefix: 'X-Tos-',
};

async function main() {
  const keys = makeKeys(N);
  // Sanity: every contender produces a URL for a key with spaces and CJK before anything is timed.
  const probe = keys[3];
  const groups = [
    {
      provider: 'COS',
      ours: { name: 'cos-presign createPresigner().presign()', fn: batch('cos') },
      oneShot: { name: 'cos-presign presign() in a loop', fn: ours.cos },
      peers: [
        { name: 'cos-nodejs-sdk-v5 getObjectUrl (sync)', fn: cosSdk(), target: 4 },
        { name: 'bare node:crypto (sha1 + createHmac)', fn: cosBare(), bare: true },
        ...(typeof crypto.hash === 'function'
          ? [{ name: 'bare, prepared-pad HMAC (core technique)', fn: cosBarePads(), bare: true }]
          : []),
      ],
    },
    {
      provider: 'S3',
      ours: { name: 'cos-presign createPresigner().presign()', fn: batch('s3') },
      oneShot: { name: 'cos-presign presign() in a loop', fn: ours.s3 },
      peers: [
        { name: '@aws-sdk/s3-request-presigner', fn: awsV3(), async: true },
        { name: 'aws4.sign (signQuery)', fn: aws4Signer(), target: 3 },
        { name: 'bare node:crypto (sha256 + createHmac)', fn: sigv4Bare(S3_SCHEME), bare: true },
        ...(typeof crypto.hash === 'function'
          ? [{ name: 'bare, prepared-pad HMAC (core technique)', fn: sigv4Bare(S3_SCHEME, true), bare: true }]
          : []),
      ],
    },
    {
      provider: 'TOS',
      ours: { name: 'cos-presign createPresigner().presign()', fn: batch('tos') },
      oneShot: { name: 'cos-presign presign() in a loop', fn: ours.tos },
      peers: [
        { name: '@volcengine/tos-sdk getPreSignedUrl', fn: tosSdk() },
        { name: 'bare node:crypto (sha256 + createHmac)', fn: sigv4Bare(TOS_SCHEME), bare: true },
        ...(typeof crypto.hash === 'function'
          ? [{ name: 'bare, prepared-pad HMAC (core technique)', fn: sigv4Bare(TOS_SCHEME, true), bare: true }]
          : []),
      ],
    },
  ];
  const only = (process.env.BENCH_ONLY || '').toUpperCase();
  if (only) groups.splice(0, groups.length, ...groups.filter((g) => g.provider === only));
  for (const g of groups) {
    for (const c of [g.ours, g.oneShot, ...g.peers]) {
      const u = await c.fn(probe);
      if (typeof u !== 'string' || !/^https:\/\//.test(u))
        throw new Error(`${g.provider} ${c.name} did not return a URL`);
    }
  }

  console.log(
    `cos-presign bench: ${N.toLocaleString('en-US')} distinct keys, GET URLs (host signed, ${EXPIRES} s), median of ${ROUNDS} rounds after warm-up`,
  );
  console.log(
    `node ${process.version} ${process.platform}/${process.arch}, ${require('node:os').cpus()[0]?.model ?? 'unknown cpu'}`,
  );
  console.log('');
  const W = [9, 44, 14, 12, 14];
  console.log(
    pad('provider', W[0]) +
      pad('implementation', W[1]) +
      lpad('URLs/s', W[2]) +
      lpad('batch/this', W[3]) +
      lpad('presign()/this', W[4]),
  );
  console.log('-'.repeat(W.reduce((a, b) => a + b, 0)));
  const verdicts = [];
  for (const g of groups) {
    const rates = await measure([g.ours, g.oneShot, ...g.peers], keys, ROUNDS);
    const mine = rates.get(g.ours.name);
    const loop = rates.get(g.oneShot.name);
    console.log(
      pad(g.provider, W[0]) +
        pad(g.ours.name, W[1]) +
        lpad(fmtRate(mine), W[2]) +
        lpad('1.00x', W[3]) +
        lpad(fmtRatio(loop / mine), W[4]),
    );
    for (const p of [g.oneShot, ...g.peers]) {
      const ratio = mine / rates.get(p.name);
      const loopRatio = loop / rates.get(p.name);
      console.log(
        pad('', W[0]) +
          pad(p.name, W[1]) +
          lpad(fmtRate(rates.get(p.name)), W[2]) +
          lpad(fmtRatio(ratio), W[3]) +
          lpad(fmtRatio(loopRatio), W[4]),
      );
      if (p.target) {
        verdicts.push(
          `${g.provider} batch >= ${p.target}x ${p.name.split(' ')[0]}: ${ratio >= p.target ? 'MET' : 'MISSED'} (${fmtRatio(ratio)})`,
        );
        verdicts.push(`${g.provider} presign() loop: ${fmtRatio(loopRatio)} ${p.name.split(' ')[0]}`);
      }
      if (p.bare) verdicts.push(`${g.provider} batch at ${Math.round(ratio * 100)}% of "${p.name}"`);
    }
    verdicts.push(`${g.provider} batch/presign() loop: ${fmtRatio(mine / loop)}`);
  }
  console.log('');
  console.log('Targets: ' + verdicts.join('; '));

  if (only) return;
  console.log('');
  console.log('Linearity (cos-presign batch form, URLs/s by batch size; flat = linear time):');
  const sizes = [1000, 10000, 100000];
  const big = makeKeys(sizes[sizes.length - 1]);
  console.log(pad('provider', W[0]) + sizes.map((s) => lpad(`${s / 1000}k keys`, 14)).join('') + lpad('100k/1k', 10));
  for (const [name, fn] of [
    ['COS', batch('cos')],
    ['S3', batch('s3')],
    ['TOS', batch('tos')],
  ]) {
    const rates = [];
    for (const s of sizes) {
      const ks = big.slice(0, s);
      const w = ks.slice(0, Math.min(s, 5000));
      for (let spent = 0; spent < WARM_MS / 2;) spent += 1000 * runSync(fn, w); // warm
      // Small batches are signed back to back until ~100k URLs, so each sample lasts long
      // enough to time; the rate is still that of s distinct keys per batch.
      const reps = Math.ceil(100000 / s);
      const r = [];
      for (let i = 0; i < 5; i++) {
        let sec = 0;
        for (let j = 0; j < reps; j++) sec += runSync(fn, ks);
        r.push((s * reps) / sec);
      }
      rates.push(median(r));
    }
    console.log(
      pad(name, W[0]) + rates.map((r) => lpad(fmtRate(r), 14)).join('') + lpad(fmtRatio(rates[2] / rates[0]), 10),
    );
  }
  if (sink === 0) console.log(''); // use the sink
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

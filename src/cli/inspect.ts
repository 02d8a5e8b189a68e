/**
 * `cos-presign inspect <url>`: the core's inspectUrl/verifyUrl, formatted for a person or as JSON.
 * Everything printed that came from the URL (key, host, params, access key id, and the core's
 * sentences quoting them) goes through `escapeControls`: a URL is untrusted text, and a `\r`, an
 * ANSI or OSC sequence or a bidi override in it must not rewrite or hide the verdict.
 */
import { credentialsFromEnv } from '../core/credentials';
import { isPresignError } from '../core/errors';
import { formatDuration, InspectedUrl, inspectUrl, VerifyResult, verifyUrl } from '../core/inspect/index';
import { escapeControls } from '../shared/text';
import { INSPECT_HELP } from './help';
import { Io } from './io';
import { parseCommandLine, parseHeaders, parseTime, presignErrorToUsage, UsageError } from './options';

const OPTIONS = {
  'secret-key': { type: 'string' },
  'secret-id': { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  bucket: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NAMES: Record<InspectedUrl['provider'], string> = { cos: 'Tencent COS', tos: 'Volcengine TOS', s3: 'S3 (SigV4)' };

function windowLine(i: InspectedUrl): string {
  if (i.status === 'expired') return `EXPIRED ${formatDuration(-i.secondsLeft)} ago`;
  if (i.status === 'not-yet-valid') return `NOT YET VALID, starts in ${formatDuration(i.secondsToStart)}`;
  return `valid, ${formatDuration(i.secondsLeft)} left`;
}

const esc = escapeControls;

function params(list: Array<{ name: string; value: string }>): string {
  return list.map((p) => `${esc(p.name)}=${esc(p.value)}`).join(', ');
}

/**
 * JSON whose strings hold no character that acts on a terminal. JSON.stringify escapes C0 controls
 * but leaves DEL, C1 (8-bit CSI/OSC), line separators and bidi controls raw; each of those becomes
 * a `\uXXXX` escape, which parses back to the same value.
 */
function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[^\x20-\x7e\n]/g, (c) =>
    esc(c) === c ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A core refusal as a usage error; its message may quote parts of the URL. */
function usage(e: unknown): unknown {
  if (!isPresignError(e)) return e;
  const u = presignErrorToUsage(e);
  const prefix = u.option ? `${u.option}: ` : '';
  return new UsageError(u.option, esc(u.message.startsWith(prefix) ? u.message.slice(prefix.length) : u.message));
}

function report(i: InspectedUrl, v: VerifyResult | undefined, hadSecret: string | undefined): string {
  const rows: Array<[string, string]> = [
    ['provider', `${i.provider} — ${NAMES[i.provider]}, ${i.algorithm}`],
    [
      'host',
      `${i.scheme}://${esc(i.host)}${i.addressing === 'custom-domain' ? ' (custom domain: the bucket is not in the URL)' : ''}`,
    ],
    ['bucket', i.bucket !== undefined ? esc(i.bucket) : '(not shown by the URL)'],
  ];
  if (i.region) rows.push(['region', esc(i.region)]);
  rows.push(
    ['key', esc(i.key)],
    ['access key id', esc(i.accessKeyId)],
    ['valid from', i.start.toISOString()],
    ['valid until', `${i.end.toISOString()}  (${windowLine(i)})`],
    ['lifetime', `${i.lifetimeSeconds} s (${formatDuration(i.lifetimeSeconds)})`],
    ['signed headers', esc(i.signedHeaders.join(', ')) || '(none)'],
    [
      'must send',
      i.headersToSend.length
        ? `${esc(i.headersToSend.join(', '))}  (with the values used when signing)`
        : '(no headers)',
    ],
    ['signed params', params(i.signedParams) || '(none)'],
  );
  if (i.unsignedParams.length) rows.push(['unsigned params', params(i.unsignedParams)]);
  if (i.missingSignedParams.length) rows.push(['missing params', esc(i.missingSignedParams.join(', '))]);
  rows.push(['security token', i.securityToken === 'none' ? 'none' : `present, ${i.securityToken} (not shown)`]);
  rows.push(['signature', 'present (not shown)']);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  let s = rows.map(([k, val]) => k.padEnd(width) + val).join('\n') + '\n';
  const notes = v ? v.warnings : i.notes;
  for (const n of notes) s += `note: ${esc(n.message)}\n`;
  if (!v) {
    // Without the secret the damage is the verdict: the URL as given cannot work.
    for (const d of i.damage) s += `\nDAMAGED: ${esc(d.message)}\n`;
    s += `\nsignature not checked: give the secret key (--secret-key, or ${hadSecret}) to check it\n`;
    return s;
  }
  if (v.verdict === 'ok') {
    s += `\nOK: the signature matches for ${v.method} with the headers given, and the URL is within its window\n`;
  } else if (v.verdict === 'needs-headers') {
    const unknown = v.headersToSend.filter((h) => h.value === undefined);
    s += `\nHEADERS NEEDED: nothing wrong found${unknown.length ? '' : ` (the signature matches for ${v.method} with the values below)`}, but the URL signs headers that every request with it must send:\n`;
    for (const h of v.headersToSend)
      s += `  ${esc(h.name)}: ${h.value !== undefined ? `${esc(h.value)}  (${esc(h.note)})` : `<${esc(h.note)}>`}\n`;
    if (unknown.length)
      s += `give ${unknown.length === 1 ? 'it' : 'them'} with --header '${esc(unknown[0].name)}: <value>' to check the signature\n`;
  } else {
    s += `\nFAILED: the server would refuse this ${v.method} request:\n`;
    for (const r of v.reasons) s += `  - ${r.code}: ${esc(r.message)}\n`;
  }
  return s;
}

function envHint(provider: InspectedUrl['provider']): string {
  return { cos: 'TENCENTCLOUD_SECRET_KEY / COS_SECRET_KEY', tos: 'TOS_SECRET_KEY', s3: 'AWS_SECRET_ACCESS_KEY' }[
    provider
  ];
}

export function inspectCommand(args: string[], io: Io): number {
  const { values: v, positionals } = parseCommandLine(args, OPTIONS);
  if (v.help) return (io.out(INSPECT_HELP), 0);
  if (positionals.length !== 1) {
    throw new UsageError(
      '<url>',
      positionals.length === 0
        ? 'is required; pass the presigned URL in quotes'
        : `expected one URL, got ${positionals.length} arguments; quote the URL so the shell keeps its & characters`,
    );
  }
  const nowSec = v.now !== undefined ? parseTime(v.now, '--now') : undefined;
  const now = nowSec !== undefined ? () => nowSec * 1000 : undefined;
  const headers = parseHeaders(v.header);
  const base = { ...(now ? { now } : {}), ...(v.bucket ? { bucket: v.bucket } : {}) };
  let info: InspectedUrl;
  try {
    info = inspectUrl(positionals[0], base);
  } catch (e) {
    throw usage(e);
  }

  let secretKey = v['secret-key'];
  let secretId = v['secret-id'];
  if (secretKey !== undefined) {
    io.warn(
      `--secret-key on the command line ends up in shell history and process lists; prefer ${envHint(info.provider)}`,
    );
  } else if (secretId !== undefined) {
    throw new UsageError('--secret-id', 'goes with --secret-key');
  } else {
    const c = credentialsFromEnv(io.env, info.provider);
    if (c) {
      secretKey = c.secretKey;
      secretId = c.secretId;
      io.note(`checking with the secret key from ${c.source.split('/')[1]}`);
    }
  }
  if (secretKey === undefined && (v.method !== undefined || v.header !== undefined)) {
    io.note('--method and --header only matter when the signature is checked, which needs the secret key');
  }

  let result: VerifyResult | undefined;
  if (secretKey !== undefined) {
    try {
      result = verifyUrl(positionals[0], {
        ...base,
        secretKey,
        ...(secretId !== undefined ? { secretId } : {}),
        ...(v.method !== undefined ? { method: v.method as never } : {}),
        headers,
      });
    } catch (e) {
      throw usage(e);
    }
    info = result.inspected;
  }

  if (v.json) {
    const verify = result && {
      verdict: result.verdict,
      ok: result.ok,
      signatureMatches: result.signatureMatches ?? null,
      method: result.method,
      reasons: result.reasons,
      headersToSend: result.headersToSend,
      warnings: result.warnings,
    };
    io.out(safeJson({ ...info, ...(verify ? { verify } : {}) }) + '\n');
  } else {
    io.out(report(info, result, `set ${envHint(info.provider)}`));
  }
  // 1 only for a URL that cannot work; one that needs headers the options do not give is not that.
  return result?.verdict === 'failed' ? 1 : 0;
}

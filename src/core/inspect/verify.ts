/**
 * `verifyUrl`: recomputes a presigned URL's signature for the request described and says whether
 * a server would accept it; when not, the likely reason, found by re-trying the variations that
 * can be told apart offline (method, host, an added parameter, the usual header values).
 */
import { PresignError } from '../errors';
import { HttpMethod, METHODS } from '../types';
import { method as validMethod } from '../resolve/input';
import { MAX_EXPIRES } from '../resolve/window';
import { headerHint, tryUsualValues, wrongMethod } from './headers';
import { candidateHosts } from './hosts';
import { parse } from './parse';
import { addedParams, computeSignature, prepare, sameSignature, Scenario } from './signature';
import type { HeaderToSend, InspectNote, InspectNoteCode, VerifyOptions, VerifyReason, VerifyResult } from './types';
import { stripDefaultPort } from './url';

/** Notes of URLs that servers refuse: reported as `malformed`, not as warnings. */
const REFUSED: ReadonlySet<InspectNoteCode> = new Set(['scope-date-differs', 'scope-not-service']);

/** "4m 10s", "2h 5m", "3d 4h": coarse on purpose, it is for people. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)}h` : ''}`;
}

function verifyInputs(o: VerifyOptions): { method: HttpMethod; headers: Map<string, string> } {
  if (o === null || typeof o !== 'object') throw new PresignError('input', 'must be an object');
  if (typeof o.secretKey !== 'string' || o.secretKey === '')
    throw new PresignError('secretKey', 'is required to check the signature');
  // The signers' own method rule (GET by default, case-insensitive, the same refusal).
  const method = validMethod(o.method);
  const headers = new Map<string, string>();
  const spelled = new Map<string, string>();
  if (o.headers !== undefined && (o.headers === null || typeof o.headers !== 'object' || Array.isArray(o.headers))) {
    throw new PresignError('headers', 'must be an object mapping names to values');
  }
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    const lower = name.toLowerCase();
    if (typeof value !== 'string')
      throw new PresignError('headers', `value of ${JSON.stringify(name)} must be a string`);
    if (spelled.has(lower))
      throw new PresignError(
        'headers',
        `${JSON.stringify(spelled.get(lower))} and ${JSON.stringify(name)} are the same header; give it once`,
      );
    spelled.set(lower, name);
    headers.set(lower, value);
  }
  return { method, headers };
}

function listOf(names: string[]): string {
  return names.join(', ');
}

/**
 * Recomputes the signature of a presigned URL for the request described by `options` and says
 * whether a server would accept it; when not, why (see `VerifyReasonCode`).
 *
 * Paste damage (`InspectedUrl.damage`) comes first, as `paste-damage`; the rest is decided on the
 * URL with the damage that can be undone undone, and `signatureMatches` is about that URL. Signed
 * headers the request does not give are not a failure: the verdict is `needs-headers`, and
 * `headersToSend` says what to send (the usual values are tried, and named when one matches).
 *
 * What can be told apart offline: expiry and not-yet-valid windows, the method, a changed host (when the signed host is the URL's, the request's
 * `Host` header, a default/explicit port or the provider's default endpoint), a parameter added
 * to an S3/TOS URL, a signed parameter removed from a COS URL, and an access key id that is not
 * the caller's. A wrong secret, a changed signed header value, an edited path or an edited
 * signed parameter value all give the same result, a different signature: they are reported
 * together as `signature-mismatch`.
 */
export function verifyUrl(url: string, options: VerifyOptions): VerifyResult {
  const { method, headers } = verifyInputs(options);
  const p = parse(url, options);
  const info = p.info;
  const reasons: VerifyReason[] = [];
  const warnings: InspectNote[] = [];
  const tag = info.provider === 'cos' ? '' : p.sigv4!.scheme.paramPrefix;

  // Paste damage comes first, and a masked value is not compared with anything.
  const unreadable = info.damage.some((d) => d.code === 'masked' || d.code === 'cut');
  let repairedMatches = false;
  if (options.secretId !== undefined && options.secretId !== info.accessKeyId && !info.accessKeyId.includes('***')) {
    reasons.push({
      code: 'wrong-access-key',
      message: `the URL was signed by access key id ${info.accessKeyId}, but the credentials given are for ${options.secretId}; check it with the secret key of ${info.accessKeyId}`,
    });
  }
  if (info.notes.some((n) => n.code === 'key-time-differs')) {
    reasons.push({
      code: 'malformed',
      message: 'q-key-time differs from q-sign-time, which no signer writes; the URL was edited, presign a new one',
    });
  }
  for (const n of info.notes.filter((x) => REFUSED.has(x.code)))
    reasons.push({ code: 'malformed', message: n.message });

  // The window, as the server will see it.
  if (info.status === 'expired') {
    reasons.push({
      code: 'expired',
      message: `expired ${formatDuration(-info.secondsLeft)} ago (at ${info.end.toISOString()}); presign a new URL, with a longer lifetime if it has to wait`,
    });
  } else if (info.status === 'not-yet-valid') {
    reasons.push({
      code: 'not-yet-valid',
      message: `not valid until ${info.start.toISOString()}, ${formatDuration(info.secondsToStart)} from now; the signer's clock is ahead, or the start time was set in the future`,
    });
  }
  const max = MAX_EXPIRES[info.provider];
  if (info.lifetimeSeconds > max) {
    reasons.push({
      code: 'lifetime-too-long',
      message: `${tag}Expires is ${info.lifetimeSeconds} s; ${info.provider.toUpperCase()} refuses presigned URLs valid longer than ${max} s (${formatDuration(max)})`,
    });
  }
  for (const name of info.missingSignedParams) {
    reasons.push({
      code: 'param-removed',
      message: `q-url-param-list signs the parameter ${JSON.stringify(name)}, but the URL does not carry it: it was removed after signing; use the URL as it was given`,
    });
  }

  // The request: what the server will put into the canonical strings.
  const urlSignedHost = info.provider === 'tos' ? info.host : stripDefaultPort(info.host, info.scheme);
  const hostHeader = headers.get('host');
  const requestHost = hostHeader !== undefined ? hostHeader.toLowerCase() : urlSignedHost;
  if (hostHeader !== undefined && requestHost !== urlSignedHost) {
    warnings.push({
      code: 'host-header-override',
      message: `the request sends Host: ${hostHeader}, not the URL's host ${urlSignedHost}`,
    });
  }
  const unsignedSent = [...headers.keys()].filter((n) => n !== 'host' && !info.signedHeaders.includes(n));
  if (unsignedSent.length) {
    warnings.push({
      code: 'unsigned-headers-sent',
      message: `${listOf(unsignedSent)} ${unsignedSent.length === 1 ? 'is' : 'are'} not signed: the server does not check ${unsignedSent.length === 1 ? 'it' : 'them'} against the URL`,
    });
  }
  warnings.push(...info.notes.filter((n) => !REFUSED.has(n.code) && n.code !== 'key-time-differs'));

  const given = info.headersToSend.filter((n) => headers.has(n));
  let missing = info.headersToSend.filter((n) => !headers.has(n));
  const found = new Map<string, string>();
  const done = (signatureMatches: boolean | undefined): VerifyResult => {
    const damage = info.damage.map((d, i): VerifyReason => ({
      code: 'paste-damage',
      message:
        d.message +
        (repairedMatches && i === info.damage.length - 1
          ? '. With that undone the signature matches: the URL itself is good'
          : ''),
    }));
    const all = [...damage, ...reasons];
    const verdict =
      all.length || signatureMatches === false
        ? 'failed'
        : missing.length || found.size || signatureMatches === undefined
          ? 'needs-headers'
          : 'ok';
    const headersToSend = info.headersToSend.map((name): HeaderToSend => {
      if (given.includes(name)) return { name, value: headers.get(name)!, note: 'as given' };
      const value = found.get(name);
      if (value !== undefined) return { name, value, note: 'found: the signature matches with this value' };
      return { name, note: headerHint(name, p.info.key) };
    });
    return {
      verdict,
      ok: verdict === 'ok',
      signatureMatches,
      method,
      reasons: all,
      headersToSend,
      warnings,
      inspected: info,
    };
  };
  if (unreadable) return done(undefined);

  const base: Scenario = { method, host: requestHost, headers };
  const prep = prepare(p);
  const matches = (s: Scenario): boolean => sameSignature(computeSignature(p, options.secretKey, s, prep), p.signature);
  if (missing.length) {
    // The URL cannot tell the values it signed; the usual ones are tried (a few signatures).
    const tried = tryUsualValues(missing, p.info.key, method, (m, values) =>
      matches({ ...base, method: m, headers: new Map([...headers, ...values]) }),
    );
    if (!tried) return done(undefined);
    for (const [n, v] of tried.values) found.set(n, v);
    missing = [];
    if (tried.method !== method) reasons.push(wrongMethod(tried.method, method));
    repairedMatches = info.damage.length > 0 && tried.method === method;
    return done(tried.method === method);
  }
  if (matches(base)) {
    repairedMatches = info.damage.length > 0;
    return done(true);
  }

  const specific: VerifyReason[] = [];
  const otherMethod = METHODS.find((m) => m !== method && matches({ ...base, method: m }));
  if (otherMethod) specific.push(wrongMethod(otherMethod, method));
  if (!specific.length && info.signsHost) {
    const signedFor = candidateHosts(p, urlSignedHost, requestHost).find((h) => matches({ ...base, host: h }));
    if (signedFor) {
      const fix =
        info.provider === 'cos'
          ? `presign for the host the server sees (as the custom domain ${requestHost}), or, only behind a proxy that rewrites Host, presign with the host unsigned`
          : `presign for the host the server sees (as the endpoint), or send the request to ${signedFor}`;
      specific.push({
        code: 'host-changed',
        message: `the signature covers the host ${signedFor}, but the request reaches the server as ${requestHost}; the host was changed after signing (a proxy, a CDN or an edited URL), and a signed host cannot change. ${fix[0].toUpperCase()}${fix.slice(1)}`,
      });
    }
  }
  if (!specific.length && p.sigv4) {
    const added = addedParams(p, (drop) => matches({ ...base, drop }));
    if (added.length) {
      const one = added.length === 1;
      specific.push({
        code: 'param-added',
        message: one
          ? `the parameter ${JSON.stringify(added[0])} was added to the URL after signing; every query parameter is signed in ${info.algorithm}, so remove it, or presign with it as a parameter`
          : `the parameters ${listOf(added)} were added to the URL after signing; every query parameter is signed in ${info.algorithm}, so remove them, or presign with them as parameters`,
      });
    }
  }
  // A key id that is not the caller's already explains a different signature.
  const wrongKey = reasons.some((r) => r.code === 'wrong-access-key');
  if (!specific.length && !info.missingSignedParams.length && !wrongKey) {
    const could: string[] = [`the secret key is not the one of access key id ${info.accessKeyId}`];
    // Damage that was undone may not be all the damage there is: that comes before the secret.
    if (info.damage.length)
      could.unshift(
        'more of the URL was changed when it was copied than could be undone (copy it again from its source)',
      );
    if (info.headersToSend.length)
      could.push(
        `a signed header value differs from the one signed (${info.headersToSend.map((n) => `${n}: ${JSON.stringify(headers.get(n))}`).join(', ')})`,
      );
    const sp = info.signedParams.map((x) => x.name);
    could.push(`the path${sp.length ? ` or a signed parameter value (${listOf(sp)})` : ''} was edited`);
    if (info.signsHost) could.push(`the host was changed from one that cannot be guessed (a custom domain)`);
    specific.push({
      code: 'signature-mismatch',
      message: `the signature does not match for ${method} with the headers given, and no single change of method, host or parameters explains it. Offline these causes look the same: ${could.join('; or ')}`,
    });
  }
  reasons.splice(wrongKey ? 1 : 0, 0, ...specific);
  return done(false);
}

/**
 * The shapes of `inspectUrl` and `verifyUrl` (public), and what parsing hands to verification
 * (internal: `Parsed`, which holds the signature and so never leaves the core).
 */
import type { HttpMethod, Provider } from '../types';
import type { SigV4Scheme } from '../sigv4';
import type { Pairs } from '../types';
import type { AuthValues, PasteDamage } from './damage';

/**
 * What a note is about. `key-time-differs`, `scope-date-differs` and `scope-not-service` make
 * servers refuse the URL (`verifyUrl` reports them as `malformed`); the others are warnings.
 */
export type InspectNoteCode =
  | 'key-time-differs'
  | 'scope-date-differs'
  | 'scope-not-service'
  | 'unsigned-params'
  | 'unsigned-token'
  | 'host-unsigned'
  | 'unknown-s3-host'
  | 'host-header-override'
  | 'unsigned-headers-sent';

/** One thing worth knowing: `code` to decide on, `message` (one sentence) to show. */
export interface InspectNote {
  code: InspectNoteCode;
  message: string;
}

export interface InspectOptions {
  /** Clock in unix milliseconds (default `Date.now`), for the time left in the window. */
  now?: () => number;
  /**
   * S3 only: the bucket, when the host is not a recognised S3 endpoint, so that a path-style
   * URL (`host/bucket/key`) can be told from a virtual-hosted one (`bucket.host/key`).
   */
  bucket?: string;
}

export interface UrlParam {
  name: string;
  value: string;
}

/** What a presigned URL grants. Never holds the signature or the security token. */
export interface InspectedUrl {
  provider: Provider;
  /** `sha1` (COS), `TOS4-HMAC-SHA256`, `AWS4-HMAC-SHA256`. */
  algorithm: string;
  scheme: 'https' | 'http';
  /** Host as written in the URL (lower-case, with any port). */
  host: string;
  /** Undefined when the URL does not show it (custom domains, unknown S3-compatible hosts). */
  bucket?: string;
  /** COS: from the host; TOS, S3: the signing region of the credential scope. */
  region?: string;
  /** Object key, decoded. */
  key: string;
  addressing: 'virtual-host' | 'path' | 'custom-domain' | 'unknown';
  accessKeyId: string;
  start: Date;
  end: Date;
  lifetimeSeconds: number;
  status: 'valid' | 'expired' | 'not-yet-valid';
  /** Seconds until `end`; negative once expired. */
  secondsLeft: number;
  /** Seconds until `start`; positive while not yet valid. */
  secondsToStart: number;
  /** Lower-case names the signature covers, `host` included when signed. */
  signedHeaders: string[];
  /** Signed headers other than `host`: the request must send each with the signed value. */
  headersToSend: string[];
  signsHost: boolean;
  /** Query parameters covered by the signature (auth parameters and the token left out). */
  signedParams: UrlParam[];
  /** COS: parameters in the URL but not in `q-url-param-list`, which nothing protects. */
  unsignedParams: UrlParam[];
  /** COS: names in `q-url-param-list` that are absent from the URL. */
  missingSignedParams: string[];
  securityToken: 'none' | 'signed' | 'unsigned';
  /** Things worth knowing about the URL, one sentence each, with a code to decide on. */
  notes: InspectNote[];
  /**
   * What copying did to the URL (a quote or bracket around it, `&amp;`, line breaks, `***` from
   * a masked log, a cut signature), found first. Everything else is read from the URL with the
   * damage that can be undone undone.
   */
  damage: PasteDamage[];
}

export interface VerifyOptions extends InspectOptions {
  /** The secret key that should have signed the URL. */
  secretKey: string;
  /** The access key id that goes with `secretKey`; when given, a URL of another key is reported. */
  secretId?: string;
  /** Method the request is made with. Default `GET`. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  /** Headers the request sends (values as sent). A `Host` header is the host the server sees. */
  headers?: Record<string, string>;
}

export type VerifyReasonCode =
  | 'expired'
  | 'not-yet-valid'
  | 'lifetime-too-long'
  | 'wrong-method'
  | 'host-changed'
  | 'param-added'
  | 'param-removed'
  | 'wrong-access-key'
  | 'malformed'
  | 'paste-damage'
  | 'signature-mismatch';

export interface VerifyReason {
  code: VerifyReasonCode;
  message: string;
}

/** A header the URL signs, so every request with it must send; `value` when known. */
export interface HeaderToSend {
  /** Lower-case name. */
  name: string;
  /** As given in `headers`, or found by trying the usual values (e.g. the key's media type). */
  value?: string;
  /** Where `value` came from, or what the value must be when the URL cannot tell. */
  note: string;
}

export interface VerifyResult {
  /**
   * `ok`: the request as described is accepted. `needs-headers`: nothing found wrong, but the
   * URL signs headers whose values the request must send and the options do not give (see
   * `headersToSend`); not a failure, the URL may be fine. `failed`: the URL cannot work for
   * this request (`reasons` says why).
   */
  verdict: 'ok' | 'needs-headers' | 'failed';
  /** The server should accept the request: the signature matches and the window is open. */
  ok: boolean;
  /** Whether the signature matches for the method, host and headers given; undefined when it could not be computed. */
  signatureMatches: boolean | undefined;
  method: HttpMethod;
  /** Why the request would be refused, most specific first. Empty unless `failed`. */
  reasons: VerifyReason[];
  /** The signed headers other than `host`, with the values a client must send when known. */
  headersToSend: HeaderToSend[];
  /** Not failures, but worth knowing (unsigned headers or params, a Host header override). */
  warnings: InspectNote[];
  inspected: InspectedUrl;
}

export interface SigV4Parts {
  scheme: SigV4Scheme;
  timestamp: string;
  /** The credential scope as written: date/region/service/terminator. */
  scope: string;
  scopeDate: string;
  region: string;
  signedHeadersRaw: string;
}

export interface Parsed {
  info: InspectedUrl;
  /** Path as written in the URL (encoded). */
  rawPath: string;
  /** Every query parameter but the signature, decoded, in URL order. */
  query: Pairs;
  /** Lower-case names of the auth parameters (never candidates for "added after signing"). */
  authNames: ReadonlySet<string>;
  signature: string;
  /** Index in `query` of the first parameter written after the signature (SDKs write it last). */
  afterSignature: number;
  /** The values paste damage is looked for in. */
  auth: AuthValues;
  cos?: { keyTime: string; signTime: string; paramList: string[] };
  sigv4?: SigV4Parts;
}

export interface BaseUrl {
  scheme: 'https' | 'http';
  host: string;
  path: string;
}

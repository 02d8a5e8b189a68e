/** What the credential sources take and return. */

/** Long-lived (or other) credentials that sign a minting call. */
export interface LongLivedKeys {
  secretId: string;
  secretKey: string;
  securityToken?: string;
}

/** Temporary credentials from STS, with their expiry (feed it to `credentialExpiresAt`). */
export interface TemporaryCredentials {
  secretId: string;
  /** Never printed; front ends mask it before anything else happens. */
  secretKey: string;
  securityToken: string;
  expiresAt: Date;
  /** Printable, e.g. `Tencent Cloud STS AssumeRoleWithWebIdentity`. */
  api: string;
  requestId?: string;
}

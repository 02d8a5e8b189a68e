/**
 * The action's temporary credentials (issue 11): the workflow's OIDC token exchanged for
 * short-lived keys (`role-arn`, no secret at all), or short-lived keys minted from the long-lived
 * ones (`scope: objects`, or `role-arn` with secret-id/secret-key), optionally narrowed to exactly
 * the objects and method being signed (in upload mode: the uploaded keys and the upload's
 * operations). main.ts calls `usesOidc` while planning and `applyTemporaryCredentials` once the
 * keys are known.
 *
 * Masking: the temporary secret key and the OIDC token are registered with the runner as soon as
 * they exist and never printed. The session token is NOT masked unless mask-urls is true: it is
 * inside every URL, and a masked value makes the runner drop the URLs from job outputs, which is
 * the cross-job pattern this feature exists for. Without the temporary secret key the token signs
 * nothing; with scope: objects it is good only for the signed objects, until credential-expiration.
 */
import * as core from '@actions/core';
import { isPresignError } from '../core/errors';
import { minimalPolicy } from '../core/policy';
import type { HttpMethod, PresignInput, Provider } from '../core/types';
import { DEFAULT_AUDIENCE, isStsError, obtainCredentials, sessionDuration, sessionName, stsCall } from '../credentials';
import { InputError, InputReader } from './inputs';
import * as log from './log';

/** The outputs temporary credentials add (buildOutputs sets them). */
export interface TemporaryOutputs {
  expiration: string;
  policy?: string;
}

/** The parts of main.ts's plan this reads and updates. */
export interface StsPlanView {
  provider: Provider;
  method: HttpMethod;
  base: Pick<
    PresignInput,
    'secretId' | 'secretKey' | 'securityToken' | 'credentialExpiresAt' | 'bucket' | 'region' | 'expires'
  >;
  entries: ReadonlyArray<{ key: string }>;
  creds: { secretId: string; secretKey: string; securityToken?: string; source: string; envSource?: string };
  summary: string;
  maskUrls: boolean;
  warnings: string[];
}

/**
 * What `scope: objects` narrows to when it is not the plan's keys and method: upload mode's final
 * keys (after base-dir) and the operations the upload engine makes (upload-inputs.ts uploadGrant).
 */
export interface ObjectGrant {
  keys: readonly string[];
  methods: readonly HttpMethod[];
  /** Add initiate, upload part, complete and abort; listing parts is never granted here. */
  multipart: boolean;
}

/** OIDC when role-arn is set and no long-lived keys are passed as inputs. */
export function usesOidc(r: InputReader): boolean {
  return r.get('role-arn') !== '' && r.get('secret-id') === '' && r.get('secret-key') === '';
}

/** Stands in for credentials until the token is exchanged (main.ts's plan needs a value). */
export const PENDING = { secretId: '', secretKey: '', source: 'OIDC (role-arn)' } as const;

// StsError fields that are not action inputs.
const FIELD_TO_INPUT: Record<string, string> = { 'id-token': 'role-arn' };

function scopeOf(r: InputReader): 'none' | 'objects' {
  const raw = r.get('scope');
  if (raw === '' || raw === 'none') return 'none';
  if (raw === 'objects') return 'objects';
  throw new InputError(
    'scope',
    `${JSON.stringify(raw)} is not none or objects; objects narrows the temporary credentials to exactly the keys and method being signed (in upload mode, the uploaded keys and the upload's operations)`,
  );
}

function roleDuration(r: InputReader): number | undefined {
  const raw = r.get('role-duration');
  if (raw === '') return undefined;
  if (!/^\d{1,6}$/.test(raw))
    throw new InputError(
      'role-duration',
      `must be a whole number of seconds such as '3600'; got ${JSON.stringify(raw)}`,
    );
  return Number(raw);
}

async function idToken(audience: string): Promise<string> {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new InputError(
      'role-arn',
      "needs the workflow's OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is not set: add `permissions: id-token: write` to the job (pull requests from forks never get one); or pass secret-id and secret-key instead of role-arn",
    );
  }
  let token: string;
  try {
    token = await core.getIDToken(audience);
  } catch (e) {
    throw new InputError(
      'audience',
      `could not get an OIDC token for audience ${JSON.stringify(audience)} from the runner: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
    );
  }
  core.setSecret(token);
  return token;
}

/**
 * Replaces the plan's credentials with temporary ones when role-arn or scope asks for them; the
 * extra outputs (credential-expiration, policy). Returns undefined and changes nothing otherwise.
 */
export async function applyTemporaryCredentials(
  r: InputReader,
  p: StsPlanView,
  run: { runId?: number; runAttempt?: number },
  grant?: ObjectGrant,
): Promise<TemporaryOutputs | undefined> {
  const scope = scopeOf(r);
  const roleArn = r.get('role-arn');
  const oidc = usesOidc(r);
  if (!roleArn && scope === 'none') {
    for (const name of [
      'oidc-provider-id',
      'role-session-name',
      'role-duration',
      'sts-endpoint',
      'sts-region',
      'audience',
    ]) {
      if (r.get(name))
        throw new InputError(
          name,
          'is set but neither role-arn nor scope: objects asks for temporary credentials; set role-arn (OIDC) or remove it',
        );
    }
    return undefined;
  }
  if (oidc && r.get('security-token'))
    throw new InputError(
      'security-token',
      'is set with role-arn but without secret-id and secret-key; OIDC needs neither, so remove it',
    );
  if (r.get('credential-expiration'))
    throw new InputError(
      'credential-expiration',
      'is set, but the credentials come from STS here, which reports their expiry itself; remove it',
    );

  try {
    const policy =
      scope === 'objects'
        ? minimalPolicy({
            provider: p.provider,
            bucket: p.base.bucket,
            region: p.base.region,
            keys: grant ? grant.keys : p.entries.map((e) => e.key),
            methods: grant ? grant.methods : [p.method],
            ...(grant?.multipart ? { multipart: true, listParts: false } : {}),
            // s3 in aws-cn / aws-us-gov: the bucket ARN is in the role's partition.
            partition: /^arn:(aws[a-z-]*):/.exec(roleArn)?.[1],
          })
        : undefined;
    if (policy) p.warnings.push(...policy.warnings.map((w) => `scope: ${w}`));
    const audience = r.get('audience') || DEFAULT_AUDIENCE[p.provider];
    const call = stsCall({ webIdentityToken: oidc ? () => idToken(audience) : undefined, roleArn });
    const duration = sessionDuration(p.provider, call, p.base.expires ?? 3600, roleDuration(r));
    if (duration.note) p.warnings.push(duration.note);
    const tmp = await obtainCredentials({
      provider: p.provider,
      webIdentityToken: oidc ? () => idToken(audience) : undefined,
      roleArn: roleArn || undefined,
      oidcProviderId: r.get('oidc-provider-id') || undefined,
      audience,
      keys: oidc
        ? undefined
        : { secretId: p.creds.secretId, secretKey: p.creds.secretKey, securityToken: p.creds.securityToken },
      roleSessionName:
        r.get('role-session-name') || sessionName(`cos-presign-${run.runId ?? Date.now()}-${run.runAttempt ?? 1}`),
      durationSeconds: duration.seconds,
      policy: policy?.json,
      stsEndpoint: r.get('sts-endpoint') || undefined,
      stsRegion: r.get('sts-region') || (p.provider === 'cos' ? p.base.region || 'ap-guangzhou' : undefined),
    });
    core.setSecret(tmp.secretKey);
    if (p.maskUrls) core.setSecret(tmp.securityToken);

    Object.assign(p.base, {
      secretId: tmp.secretId,
      secretKey: tmp.secretKey,
      securityToken: tmp.securityToken,
      credentialExpiresAt: tmp.expiresAt,
    });
    p.creds = {
      secretId: tmp.secretId,
      secretKey: tmp.secretKey,
      securityToken: tmp.securityToken,
      source: `${tmp.api}${roleArn ? ` for ${roleArn}` : ''}${tmp.requestId ? ` (RequestId ${tmp.requestId})` : ''}`,
    };
    if (p.summary === 'links') {
      p.summary = 'names';
      p.warnings.push(
        'summary: links is not honoured because the URLs carry the session token, which must not go into the job summary; listing key names instead. Hand the URLs on through the outputs',
      );
    }
    const expiration = tmp.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    log.info(
      `Temporary credentials from ${p.creds.source}, valid until ${expiration}${policy ? `, narrowed to ${policy.resources.length === 1 ? policy.resources[0] : `${policy.resources.length} objects`} (${policy.actions.join(', ')})` : ''}`,
    );
    return { expiration, policy: policy?.json };
  } catch (e) {
    if (isStsError(e)) {
      const input = FIELD_TO_INPUT[e.field] ?? e.field;
      throw new InputError(
        input,
        e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message,
      );
    }
    if (isPresignError(e))
      throw new InputError(e.field === 'key' ? 'keys' : e.field, e.message.slice(e.field.length + 2));
    throw e;
  }
}

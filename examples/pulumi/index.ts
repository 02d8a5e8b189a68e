/**
 * Two presigned URLs as stack outputs, stable across `pulumi up` runs and renewed when due.
 * See README.md here: the config to set, credentials, and reading the outputs.
 *
 * Credentials come from the environment of `pulumi up` (here COS: TENCENTCLOUD_SECRET_ID and
 * TENCENTCLOUD_SECRET_KEY, plus TENCENTCLOUD_SESSION_TOKEN for temporary keys; or COS_SECRET_ID
 * and COS_SECRET_KEY). Nothing secret is stored in the state except the URLs, which are secrets.
 *
 * Schedule `pulumi up` more often than the smaller `renewBefore` below (here: at least every
 * 8 hours), or a URL can expire before a run renews it.
 */
import * as pulumi from '@pulumi/pulumi';
import { PresignedUrl } from 'cos-presign/pulumi';

// Required: without them `pulumi up` stops and names the missing key, instead of signing URLs
// for a bucket that does not exist. `pulumi config set bucket mybucket-1250000000` etc.
const config = new pulumi.Config();
const bucket = config.require('bucket');
const region = config.require('region');

// New machines fetch their bootstrap script with this link. Valid 7 days; the first
// `pulumi up` in its last 2 days signs a new one. Publishing a new script version
// (`pulumi config set scriptVersion v2`) re-signs at once.
const bootstrap = new PresignedUrl('bootstrap-script', {
  provider: 'cos',
  bucket,
  region,
  key: 'bootstrap/install.sh',
  expiresIn: 7 * 24 * 3600,
  renewBefore: 2 * 24 * 3600,
  triggers: { scriptVersion: config.get('scriptVersion') ?? 'v1' },
});

// A data pipeline uploads its daily batch here. The signature pins the Content-Type: the
// uploader must send the headers in `uploadHeaders`, exactly.
const upload = new PresignedUrl('pipeline-upload', {
  provider: 'cos',
  bucket,
  region,
  key: 'incoming/batch.csv',
  method: 'PUT',
  headers: { 'Content-Type': 'text/csv' },
  expiresIn: 24 * 3600,
  renewBefore: 8 * 3600,
});

// Secrets: read them with `pulumi stack output downloadUrl --show-secrets`.
export const downloadUrl = bootstrap.url;
export const downloadExpiresAt = bootstrap.expiresAt;
export const downloadRenewAt = bootstrap.renewAt;
export const uploadUrl = upload.url;
export const uploadMethod = upload.method;
export const uploadHeaders = upload.headers;
export const uploadExpiresAt = upload.expiresAt;

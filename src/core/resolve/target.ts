/** Which host a batch signs for: bucket, region and endpoint/domain per provider, validated. */
import { cosBucket, cosEndpoint } from '../cos/endpoint';
import { cosRegionWarning } from '../cos/regions';
import { s3Bucket, s3Endpoint, tosBucket, tosEndpoint } from '../sigv4/endpoint';
import type { PresignInput, Provider } from '../types';
import type { Endpoint } from './authority';
import * as v from './input';

export interface Target {
  endpoint: Endpoint;
  region: string;
  /** E.g. an unknown COS region: the host may not exist. */
  warnings: string[];
}

export function resolveTarget(input: PresignInput, p: Provider, scheme: 'https' | 'http' | undefined): Target {
  // Written out, not spread: object spread of a record holding undefined takes V8's slow path (~10 us).
  const common = (bucket: string, region: string) => ({
    bucket,
    region,
    scheme,
    endpoint: input.endpoint,
    domain: input.domain,
    accelerate: input.accelerate,
    isCustomDomain: input.isCustomDomain,
    forcePathStyle: input.forcePathStyle,
  });
  if (p === 'cos') {
    const bucket = cosBucket(input.bucket);
    const region = v.region(input.region, false, 'e.g. ap-guangzhou') ?? '';
    const endpoint = cosEndpoint(common(bucket, region));
    // Only when the region builds the host: with a domain or acceleration it is not used.
    const hostFromRegion = (input.domain === undefined || input.domain === '') && input.accelerate !== true;
    const warning = hostFromRegion ? cosRegionWarning(region) : undefined;
    return { endpoint, region, warnings: warning ? [warning] : [] };
  }
  if (p === 'tos') {
    const bucket = tosBucket(input.bucket);
    const region = v.region(input.region, true, 'TOS signs with the bucket region, e.g. cn-beijing')!;
    return { endpoint: tosEndpoint(common(bucket, region)), region, warnings: [] };
  }
  const bucket = s3Bucket(input.bucket);
  const hasEndpoint = input.endpoint !== undefined && input.endpoint !== '';
  // MinIO, s3rver and most S3-compatible servers accept any region; us-east-1 is their default.
  const region =
    v.region(input.region, !hasEndpoint, 'AWS signs with the bucket region, e.g. us-east-1') ?? 'us-east-1';
  return { endpoint: s3Endpoint(common(bucket, region)), region, warnings: [] };
}

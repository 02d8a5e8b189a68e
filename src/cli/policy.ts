/**
 * `cos-presign policy <bucket> <key...>`: prints the least-privilege policy for signing those keys
 * (COS CAM, AWS IAM or Volcengine TOS), to attach to a role or sub-account without guessing the
 * syntax. Reads no credentials.
 */
import { minimalPolicy } from '../core/policy';
import { HttpMethod, METHODS } from '../core/types';
import { Io } from './io';
import { parseCommandLine, parseProvider, UsageError } from './options';

export const POLICY_HELP = `Usage: cos-presign policy <bucket> <key...> [options]

Prints the smallest policy that allows signing URLs for exactly these keys: attach it to the
role (role-arn) or sub-account whose credentials sign them. Many keys collapse to their
longest common prefix ("prefix*") when the list would pass the 2048-character STS policy limit;
a note on stderr says so.

  -p, --provider <cos|tos|s3>   policy language: COS CAM (default), Volcengine TOS, AWS IAM
  -r, --region <region>         cos: the bucket's region (part of the resource name)
  -X, --method <method>         GET (default), PUT, POST, DELETE, HEAD; repeat for several
      --multipart               also allow the multipart upload operations
      --partition <aws|aws-cn>  s3: ARN partition (default aws)
      --compact                 one line of JSON (as passed to STS) instead of indented
`;

const OPTIONS = {
  provider: { type: 'string', short: 'p' },
  region: { type: 'string', short: 'r' },
  method: { type: 'string', short: 'X', multiple: true },
  multipart: { type: 'boolean' },
  partition: { type: 'string' },
  compact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function policyCommand(args: string[], io: Io): number {
  const { values: v, positionals } = parseCommandLine(args, OPTIONS);
  if (v.help) return (io.out(POLICY_HELP), 0);
  if (positionals.length < 2)
    throw new UsageError(
      '',
      `policy takes <bucket> and at least one <key>; got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}. See --help`,
    );
  const provider = parseProvider(v.provider);
  const methods = (v.method ?? ['GET']).map((m) => {
    const up = m.toUpperCase() as HttpMethod;
    if (!METHODS.includes(up))
      throw new UsageError('--method', `${JSON.stringify(m)} is not one of ${METHODS.join(', ')}`);
    return up;
  });
  const [bucket, ...keys] = positionals;
  const p = minimalPolicy({
    provider,
    bucket,
    region: v.region,
    keys,
    methods,
    multipart: v.multipart,
    partition: v.partition,
  });
  for (const w of p.warnings) io.warn(w);
  io.out((v.compact ? p.json : JSON.stringify(p.document, null, 2)) + '\n');
  return 0;
}

/**
 * The `requests-file` output: the `requests` JSON written to a file under RUNNER_TEMP, so a
 * consumer of thousands of keys reads a file instead of an environment variable (Linux caps one
 * variable at 128 KiB).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function writeRequestsFile(requestsJson: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNNER_TEMP || os.tmpdir();
  const file = path.join(dir, `cos-presign-requests-${randomBytes(6).toString('hex')}.json`);
  // Owner-only: the URLs are bearer credentials until they expire.
  fs.writeFileSync(file, requestsJson, { mode: 0o600 });
  return file;
}

/** The GitHub Actions runtime for `runs.using: node24`, or why there is none on this machine. */
export type RunnerNode =
  | { path: string; version: string; source: string; reason?: undefined }
  | { path?: undefined; version?: undefined; source?: undefined; reason: string };

/** Finds the Node 24 binary (COS_PRESIGN_NODE24, the packaged one for this platform, or the running Node). */
export function runnerNode(): RunnerNode;
export const RUNNER_NODE_MAJOR: 24;
export const RUNNER_NODE_ENV: 'COS_PRESIGN_NODE24';

/**
 * npm as a user runs it, from the tests: a child `npm` with the caller's environment minus what
 * `npm test` and jest add (npm_config_* of the outer run, npm_lifecycle_*, JEST_WORKER_ID), so the
 * outer command's settings never leak into the install under test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'JEST_WORKER_ID' || /^npm_(config|lifecycle|package)_/i.test(k)) continue;
    env[k] = v;
  }
  // Keep the outer run's npm cache: installs come from it, the registry only on a miss.
  if (process.env.npm_config_cache) env.npm_config_cache = process.env.npm_config_cache;
  return { ...env, ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files `npm ci` reads, copied into `dir`: the manifest, the lockfile and the local dev package it links. */
export function copyInstallManifests(dir: string): void {
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean; resolved?: string }>;
  };
  for (const entry of Object.values(lock.packages)) {
    if (!entry.link || !entry.resolved) continue;
    fs.mkdirSync(path.join(dir, entry.resolved), { recursive: true });
    fs.copyFileSync(path.join(ROOT, entry.resolved, 'package.json'), path.join(dir, entry.resolved, 'package.json'));
  }
}

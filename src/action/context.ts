/**
 * The workflow context the `key-prefix` placeholders use, read the way @actions/github's
 * `context` reads it (the runner's GITHUB_* variables and the event payload file), without
 * bundling Octokit for it. Values are returned raw; inputs.ts checks each one's shape.
 */
import * as fs from 'node:fs';
import type { TemplateContext } from './inputs';

/** The event payload (GITHUB_EVENT_PATH), or {} when there is none or it cannot be read. */
function eventPayload(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    // As @actions/github: an unreadable payload is no payload; {pr_number} then has no value.
    return {};
  }
}

export function templateContext(env: NodeJS.ProcessEnv = process.env): TemplateContext {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const pr = eventPayload(env).pull_request;
  const str = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return {
    // "a/b/c" is no repository: leave both empty so {repo} says what is missing.
    owner: rest.length === 0 ? str(owner) : undefined,
    repo: rest.length === 0 ? str(repo) : undefined,
    ref: str(env.GITHUB_REF),
    sha: str(env.GITHUB_SHA),
    runId: str(env.GITHUB_RUN_ID),
    runNumber: str(env.GITHUB_RUN_NUMBER),
    runAttempt: str(env.GITHUB_RUN_ATTEMPT),
    eventName: str(env.GITHUB_EVENT_NAME),
    prNumber: pr !== null && typeof pr === 'object' ? (pr as { number?: unknown }).number : undefined,
  };
}

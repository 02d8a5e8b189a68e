/**
 * @actions/github and its Octokit are ES modules only, which Jest's CommonJS runtime cannot load.
 * The action's bundle gets them through @vercel/ncc; so do the in-process tests: the real package
 * compiled by ncc into one CommonJS file (the same compiler and the same code as dist/), which a
 * test hands to Jest with `jest.mock('@actions/github', () => require(ACTIONS_GITHUB_CJS))`.
 *
 * Built once per dependency set (~20 s on a busy machine) and cached under node_modules/.cache.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cos-presign-test');

function key(): string {
  const h = createHash('sha256');
  for (const f of [
    'package-lock.json',
    'node_modules/@actions/github/package.json',
    'node_modules/@octokit/core/package.json',
  ]) {
    h.update(fs.existsSync(path.join(ROOT, f)) ? fs.readFileSync(path.join(ROOT, f)) : f);
  }
  return h.digest('hex').slice(0, 16);
}

/** Where the CommonJS build of @actions/github is (after `buildActionsGithubCjs`). */
export const ACTIONS_GITHUB_CJS = path.join(CACHE, `actions-github-${key()}.cjs`);

export async function buildActionsGithubCjs(): Promise<string> {
  if (fs.existsSync(ACTIONS_GITHUB_CJS)) return ACTIONS_GITHUB_CJS;
  fs.mkdirSync(CACHE, { recursive: true });
  // An entry inside the project, so that node_modules resolves from here. ES syntax in a .js file
  // makes ncc resolve through the "import" condition yet emit CommonJS (a .mjs entry emits ESM).
  const entry = path.join(CACHE, 'actions-github-entry.js');
  fs.writeFileSync(entry, "export * from '@actions/github';\n");
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ncc = require('@vercel/ncc') as (file: string, o: object) => Promise<{ code: string }>;
  const { code } = await ncc(entry, { quiet: true, sourceMap: false, minify: false, target: 'es2022' });
  const tmp = `${ACTIONS_GITHUB_CJS}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, ACTIONS_GITHUB_CJS);
  return ACTIONS_GITHUB_CJS;
}

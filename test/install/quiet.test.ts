/**
 * `npm test` output is jest's per-file lines, the failures and the summary: console output of the
 * tests (fuzz statistics and the like) shows only with COS_PRESIGN_TEST_STATS=1, and a failure
 * prints in full either way. Checked by running this repository's jest config on a throw-away test
 * file that prints, fails one test and passes another.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanEnv, ROOT, run } from './npm';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-quiet-'));
  // Plain JavaScript, so no compile step slows the two runs down.
  fs.writeFileSync(
    path.join(dir, 'loud.test.js'),
    [
      "test('prints and fails', () => { console.info('stats ' + 'block'); expect(1 + 1).toBe(3); });",
      "test('prints and passes', () => { console.info('more ' + 'stats'); });",
      '',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function jest(env: Record<string, string>) {
  const r = run(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--ci',
      '--roots',
      dir,
      '--testMatch',
      '**/loud.test.js',
    ],
    { cwd: ROOT, env: cleanEnv(env), timeoutMs: 180_000 },
  );
  return { ...r, out: r.stdout + r.stderr };
}

test('by default: the failure and the summary, no console output', () => {
  const r = jest({});
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/● prints and fails/);
  expect(r.out).toMatch(/Expected: 3\n\s+Received: 2/);
  expect(r.out).toMatch(/Tests: +1 failed, 1 passed, 2 total/);
  expect(r.out).not.toMatch(/stats block|more stats/); // the printed strings, not in the source shown
}, 200_000);

test('with COS_PRESIGN_TEST_STATS=1: the console output too', () => {
  const r = jest({ COS_PRESIGN_TEST_STATS: '1' });
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/console\.info\n\s+stats block/);
  expect(r.out).toMatch(/console\.info\n\s+more stats/);
  expect(r.out).toMatch(/Tests: +1 failed, 1 passed, 2 total/);
}, 200_000);

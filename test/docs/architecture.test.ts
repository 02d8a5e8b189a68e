/**
 * ARCHITECTURE.md's "to change X, open Y" table stays true: every path it names exists, and every
 * file of src/ is named, by its own path or by its folder's (index.ts files only re-export).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './markdown';

const TEXT = fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
const TABLE = TEXT.slice(TEXT.indexOf('| to change'), TEXT.indexOf('\n\n', TEXT.indexOf('| to change')));
const NAMED = [
  ...TABLE.matchAll(
    /`((?:src|test|bench|pulumi|scripts|docs|dist)\/[^`]*|action\.yml|eslint\.config\.js|\.prettierrc\.json)`/g,
  ),
].map((m) => m[1]);

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? files(rel) : [rel];
  });
}

test('the table names the parts this test is meant to check', () => {
  expect(NAMED.length).toBeGreaterThan(50);
  expect(NAMED).toEqual(
    expect.arrayContaining(['src/transfer/multipart.ts', 'src/credentials/tencent.ts', 'src/action/plan.ts']),
  );
});

test.each([...new Set(NAMED)])('%s exists', (p) => {
  expect(fs.existsSync(path.join(ROOT, p))).toBe(true);
});

test('every file of src/ is in the table, by its path or its folder', () => {
  const covered = (f: string) =>
    NAMED.includes(f) || NAMED.some((n) => n.endsWith('/') && f.startsWith(n)) || path.basename(f) === 'index.ts';
  const missing = files('src').filter((f) => !covered(f));
  expect(missing).toEqual([]);
});

/**
 * The CLI's help and docs/cli.md describe the commands and inspect reasons the code has: a command
 * added to the dispatcher, or a reason code added to (or removed from) the core, fails here until
 * both the help text and the manual say so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INSPECT_HELP, MAIN_HELP } from '../../src/cli/help';
import { ROOT } from './markdown';

const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

/** Keys of the `COMMANDS` table in src/cli/main.ts, read from the source (it is not exported). */
function commands(): string[] {
  const src = read('src/cli/main.ts');
  const table = /const COMMANDS[^{]*=\s*\{([\s\S]*?)\n\};/.exec(src);
  if (!table) throw new Error('no COMMANDS table in src/cli/main.ts');
  return [...table[1].matchAll(/^\s*([a-z]+):/gm)].map((m) => m[1]);
}

/** Members of the `VerifyReasonCode` union in src/core/inspect/types.ts. */
function reasonCodes(): string[] {
  const src = read('src/core/inspect/types.ts');
  const union = /export type VerifyReasonCode\s*=([\s\S]*?);/.exec(src);
  if (!union) throw new Error('no VerifyReasonCode in src/core/inspect/types.ts');
  return [...union[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
}

const CLI_MD = read('docs/cli.md');

test('the dispatcher has the commands this test expects to find', () => {
  expect(commands()).toEqual(expect.arrayContaining(['url', 'auth', 'policy', 'inspect', 'upload', 'put', 'demo']));
});

test.each(commands())('"%s" has one line in MAIN_HELP and in the command list of docs/cli.md', (cmd) => {
  const line = new RegExp(`^ {2}cos-presign ${cmd}\\b.*? {2,}\\S`, 'm');
  expect(MAIN_HELP).toMatch(line);
  expect(CLI_MD).toMatch(new RegExp(`^cos-presign ${cmd}\\b.*? {2,}\\S`, 'm'));
  expect(CLI_MD).toMatch(new RegExp(`^## .*\`cos-presign ${cmd}\``, 'm'));
});

test('docs/cli.md has one row per inspect reason code, and no row for a code that does not exist', () => {
  const codes = reasonCodes();
  const section = CLI_MD.slice(CLI_MD.indexOf('## `cos-presign inspect`'));
  const rows = [...section.matchAll(/^\| `([a-z-]+)`(?: \/ `([a-z-]+)`)? \|/gm)].flatMap((m) =>
    m.slice(1).filter(Boolean),
  );
  expect([...rows].sort()).toEqual([...codes].sort());
});

test('inspect --help gives the exit codes the command returns: 1 only for FAILED', () => {
  const src = read('src/cli/inspect.ts');
  expect(src).toMatch(/return result\?\.verdict === 'failed' \? 1 : 0;/);
  expect(INSPECT_HELP).toMatch(
    /Exit code: 1 only when the URL cannot work \(FAILED\); 0 otherwise, including HEADERS NEEDED and,\s+without a secret, DAMAGED/,
  );
});

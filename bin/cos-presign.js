#!/usr/bin/env node
'use strict';
// The CLI is compiled to lib/ by `npm run build` (run by `npm ci` / `npm install` via `prepare`).
let cli;
try {
  cli = require('../lib/src/cli/main.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('lib/src/cli/main')) {
    process.stderr.write('cos-presign: not built yet; run "npm run build" in the package directory\n');
    process.exit(1);
  }
  throw e;
}
cli.run();

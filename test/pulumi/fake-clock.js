/**
 * Test-only preload for the dynamic-provider host (NODE_OPTIONS=--require): makes `Date` read
 * the time (unix ms) from the file named by COS_PRESIGN_TEST_CLOCK_FILE, re-read on each call,
 * so a test can freeze and move the host's clock. The product has no clock hook of its own.
 */
'use strict';
const fs = require('fs');

const file = process.env.COS_PRESIGN_TEST_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const now = () => {
    const ms = Number(fs.readFileSync(file, 'utf8'));
    if (!Number.isFinite(ms)) throw new Error(`fake clock: ${file} does not hold unix milliseconds`);
    return ms;
  };
  function FakeDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  FakeDate.prototype = RealDate.prototype;
  FakeDate.now = now;
  FakeDate.parse = RealDate.parse;
  FakeDate.UTC = RealDate.UTC;
  globalThis.Date = FakeDate;
}

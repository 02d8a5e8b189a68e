/*
 * Jest globalSetup: says once, before the run, what this machine cannot test, so a skip is never
 * silent. Today: the action under the GitHub Actions runtime (Node 24), see scripts/runner-node.
 */
const { runnerNode } = require('cos-presign-runner-node');

module.exports = async function notices() {
  const runner = runnerNode();
  if (runner.reason) {
    process.stderr.write(
      `\ncos-presign tests: the checks that need Node 24 are SKIPPED (the others run the action on ${process.version}): ${runner.reason}\n`,
    );
  }
};

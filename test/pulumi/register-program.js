/**
 * A stand-in Pulumi program, copied by the tests into the program directory and run there in a
 * child process (a copy, so that `require` resolves as from a user's program, not by the repo's
 * self-reference): constructs PresignedUrl resources from the INSTALLED package (node_modules/cos-presign)
 * under the SDK's mocks and prints each RegisterResource request as JSON. The SDK serializes
 * `__provider` exactly as in `pulumi up`; mocks never run the provider.
 *
 * argv[2]: JSON, either an array of { name, args } to construct, or { program, count }: a
 * compiled Pulumi program to require, which registers `count` resources.
 */
'use strict';
const pulumi = require('@pulumi/pulumi');
const { MockMonitor } = require('@pulumi/pulumi/runtime/mocks');

const spec = JSON.parse(process.argv[2]);
const expected = Array.isArray(spec) ? spec.length : spec.count;
const registrations = [];
const fail = (e) => {
  process.stderr.write(`register-program: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
};
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);
setTimeout(() => fail(new Error(`timed out with ${registrations.length}/${expected} registrations`)), 30000).unref();

const original = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
  registrations.push({
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    // Wire form: secrets stay wrapped as {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}.
    inputs: req.getObject().toJavaScript(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
  });
  if (registrations.length === expected) {
    process.stdout.write(JSON.stringify(registrations) + '\n', () => process.exit(0));
  }
  return original.call(this, req, callback);
};

pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  },
  'presign-test',
  'test',
  false,
);

if (Array.isArray(spec)) {
  const { PresignedUrl } = require('cos-presign/pulumi');
  for (const s of spec) new PresignedUrl(s.name, s.args);
} else {
  require(require('path').resolve(spec.program));
}

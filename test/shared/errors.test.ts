/** One rendering of core refusals: real core errors in the action's and the CLI's terms. */
import { presign, PresignError, PresignInput } from '../../src';
import { ACTION_FIELDS } from '../../src/action/inputs';
import { CLI_FIELDS } from '../../src/cli/options';
import { errorDetail, renameFields, renderPresignError } from '../../src/shared/errors';

function coreError(input: Partial<PresignInput>): PresignError {
  try {
    presign({
      secretId: 'AKIDx',
      secretKey: 'secret',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'a.txt',
      ...input,
    } as PresignInput);
  } catch (e) {
    if (e instanceof PresignError) return e;
    throw e;
  }
  throw new Error('not refused');
}

test('the detail is the message without the "field: " prefix', () => {
  expect(errorDetail(new PresignError('startTime', 'is bad'))).toBe('is bad');
  expect(errorDetail(Object.assign(new PresignError('x', 'm'), { detail: 'from the core' }))).toBe('from the core');
});

test('camelCase names and phrases are renamed; plain words only as the field', () => {
  const names = { startTime: '--start', bucket: '<bucket>', 'set keySimplifyCheck: false': 'pass --allow-root-key' };
  expect(renameFields('startTime is after the bucket expiry; set keySimplifyCheck: false', names)).toBe(
    '--start is after the bucket expiry; pass --allow-root-key',
  );
  expect(renameFields('mystartTime and startTimes stay', names)).toBe('mystartTime and startTimes stay');
  expect(renameFields('a key, or set keySimplifyCheck: false to do it', { keySimplifyCheck: null })).toBe('a key');
  expect(renderPresignError(new PresignError('bucket', 'is not a COS bucket name'), names)).toEqual({
    field: '<bucket>',
    message: 'is not a COS bucket name',
  });
});

test("real core refusals in each front end's terms", () => {
  const cases: Array<[Partial<PresignInput>, string, string, RegExp?]> = [
    [{ key: 'a/..' }, 'key', '<key>', /pass --allow-root-key/],
    [{ endpoint: 'x.example.com' }, 'endpoint', '--endpoint', /\(use --domain for a custom domain\)/],
    [{ provider: 's3', region: 'us-east-1', bucket: 'my-bucket', signHost: false }, 'sign-host', '--no-sign-host'],
    [{ startTime: -5 }, 'start-time', '--start'],
    [{ credentialExpiresAt: 'tomorrow' }, 'credential-expiration', '--credential-expires-at'],
    [{ headers: { 'Bad Name': 'x' } }, 'headers', '--header'],
    [{ params: { 'q-signature': '0' } }, 'params', '--param'],
    [
      { provider: 's3', region: 'us-east-1', bucket: 'my-bucket', forcePathStyle: 'yes' as unknown as boolean },
      'force-path-style',
      '--path-style',
    ],
    [
      { provider: 'tos', region: 'cn-beijing', bucket: 'bucket1', isCustomDomain: true },
      'endpoint',
      '--endpoint',
      /--custom-domain is given/,
    ],
  ];
  for (const [input, actionName, cliName, cliText] of cases) {
    const e = coreError(input);
    const a = renderPresignError(e, ACTION_FIELDS);
    const c = renderPresignError(e, CLI_FIELDS);
    expect(a.field).toBe(actionName);
    expect(c.field).toBe(cliName);
    for (const r of [a, c]) {
      expect(r.message.startsWith(`${e.field}: `)).toBe(false);
      // No camelCase core option name is left in either front end's advice.
      expect(r.message).not.toMatch(
        /\b(keySimplifyCheck|signHost|isCustomDomain|securityToken|startTime|credentialExpiresAt|forcePathStyle|secretId|secretKey)\b/,
      );
    }
    if (cliText) expect(c.message).toMatch(cliText);
  }
});

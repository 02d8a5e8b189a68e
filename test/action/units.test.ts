/**
 * The action's pure parts, directly: input parsing, key-prefix templates, the re-wording of core
 * refusals, curl quoting and the summary's size budget.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { presign, PresignError } from '../../src';
import { contentType, filePins, matchFiles } from '../../src/action/files';
import { SUMMARY_BUDGET, summaryHtml } from '../../src/action/format';
import { templateContext } from '../../src/action/context';
import * as inputs from '../../src/action/inputs';
import { realRoots } from '../../src/shared/local-files';

function reader(values: Record<string, string>): inputs.InputReader {
  return {
    get: (n) => (values[n] ?? '').trim(),
    lines: (n) =>
      (values[n] ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
  };
}

function refusal(fn: () => unknown): inputs.InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof inputs.InputError) return e;
    throw e;
  }
  throw new Error('not refused');
}

async function asyncRefusal(fn: () => Promise<unknown>): Promise<inputs.InputError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof inputs.InputError) return e;
    throw e;
  }
  throw new Error('not refused');
}

test('headers: Name: value lines, optional whitespace dropped, malformed and duplicate lines refused', () => {
  expect(inputs.headers(reader({ headers: 'Content-Type: text/plain\nx-cos-meta-a:b: c\nX-Empty:' }))).toEqual({
    'Content-Type': 'text/plain',
    'x-cos-meta-a': 'b: c',
    'X-Empty': '',
  });
  expect(refusal(() => inputs.headers(reader({ headers: 'ok: 1\n: no name' }))).message).toBe(
    'Input "headers": line 2 is not "Name: value"; write one header per line, e.g. "Content-Type: application/gzip"',
  );
  expect(refusal(() => inputs.headers(reader({ headers: 'A: 1\na: 2' }))).input).toBe('headers');
});

test('params: name=value lines, empty values allowed, malformed refused', () => {
  expect(
    inputs.params(reader({ params: 'response-content-disposition=attachment; filename="a=b.txt"\nversionId=' })),
  ).toEqual({
    'response-content-disposition': 'attachment; filename="a=b.txt"',
    versionId: '',
  });
  expect(inputs.params(reader({ params: 'acl' }))).toEqual({ acl: '' });
  expect(refusal(() => inputs.params(reader({ params: '=x' }))).input).toBe('params');
  expect(refusal(() => inputs.params(reader({ params: 'a=1\na=2' }))).input).toBe('params');
});

test('expires, start-time and booleans', () => {
  expect(inputs.expires(reader({}))).toBe(3600);
  expect(inputs.expires(reader({ expires: '60' }))).toBe(60);
  // The CLI's duration syntax (13.8).
  expect(inputs.expires(reader({ expires: '30m' }))).toBe(1800);
  expect(inputs.expires(reader({ expires: '12h' }))).toBe(43200);
  expect(inputs.expires(reader({ expires: '7d' }))).toBe(604800);
  for (const bad of ['abc', '1.5', '-1', '1e3', '99999999999999999999', '7w', '1h30m'])
    expect(refusal(() => inputs.expires(reader({ expires: bad }))).input).toBe('expires');
  for (const zero of ['0', '0s', '0d', '000'])
    expect(refusal(() => inputs.expires(reader({ expires: zero }))).message).toMatch(
      /^Input "expires": must be more than 0/,
    );
  expect(inputs.startTime(reader({ 'start-time': '2026-01-01T00:00:00Z' }))).toBe(1767225600);
  expect(inputs.startTime(reader({ 'start-time': '1767225600' }))).toBe(1767225600);
  expect(inputs.startTime(reader({}))).toBeUndefined();
  expect(refusal(() => inputs.startTime(reader({ 'start-time': 'yesterday' }))).input).toBe('start-time');
  expect(inputs.bool(reader({ x: 'True' }), 'x', false)).toBe(true);
  expect(inputs.bool(reader({ x: 'FALSE' }), 'x', true)).toBe(false);
  expect(inputs.bool(reader({}), 'x', true)).toBe(true);
  expect(refusal(() => inputs.bool(reader({ x: '1' }), 'x', true)).message).toBe(
    `Input "x": "1" is not a boolean; use 'true' or 'false' (default 'true')`,
  );
  expect(inputs.provider(reader({ provider: 'S3' }))).toBe('s3');
});

test('key-prefix placeholders come from the context; unknown or empty ones are refused', () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef01';
  const ctx: inputs.TemplateContext = {
    owner: 'o',
    repo: 'r',
    ref: 'refs/heads/feature/x',
    sha,
    runId: '7',
    runNumber: '3',
    runAttempt: '2',
    eventName: 'push',
    prNumber: 12,
  };
  expect(
    inputs.renderPrefix(
      '{repository}/{ref_name}/{short_sha}/{run_id}-{run_number}-{run_attempt}/{event}/{pr_number}/',
      ctx,
    ),
  ).toBe('o/r/feature/x/abcdef0/7-3-2/push/12/');
  expect(inputs.refName('refs/tags/v1.0.0')).toBe('v1.0.0');
  expect(inputs.refName('refs/pull/12/merge')).toBe('12/merge');
  expect(refusal(() => inputs.renderPrefix('{sha}', {})).message).toContain(
    '{sha} has no value here (it comes from GITHUB_SHA)',
  );
  expect(refusal(() => inputs.renderPrefix('{run_number}', { runNumber: 'NaN' })).input).toBe('key-prefix');
  expect(refusal(() => inputs.renderPrefix('{Repo}', ctx)).message).toContain('unknown placeholder {Repo}');
  expect(inputs.renderPrefix('plain/', {})).toBe('plain/');
});

test('every placeholder value is checked to have its shape: {pr_number} is a number, and so on (10.1)', () => {
  const bad: Array<[string, inputs.TemplateContext]> = [
    ['{pr_number}', { prNumber: '7\n::warning::x' }],
    ['{pr_number}', { prNumber: '12' + 'a' }],
    ['{pr_number}', { prNumber: 1.5 }],
    ['{pr_number}', { prNumber: -3 }],
    ['{pr_number}', { prNumber: 0 }],
    ['{pr_number}', { prNumber: { toString: () => '7' } }],
    ['{pr_number}', { prNumber: 2 ** 60 }],
    ['{pr_number}', { prNumber: true }],
    ['{run_id}', { runId: '12; rm -rf /' }],
    ['{run_attempt}', { runAttempt: '1/../..' }],
    ['{sha}', { sha: '../../etc/passwd' }],
    ['{short_sha}', { sha: 'ABC</code>' }],
    ['{owner}', { owner: 'a\nb', repo: 'r' }],
    ['{repository}', { owner: 'o b', repo: 'r' }],
    ['{ref_name}', { ref: 'refs/heads/a/../../b' }],
    ['{ref_name}', { ref: 'refs/heads/x\u001b[31m' }],
    ['{ref_name}', { ref: 'refs/heads/##[error]x' }],
    ['{event}', { eventName: 'push\n# heading' }],
  ];
  for (const [template, ctx] of bad) {
    const e = refusal(() => inputs.renderPrefix(template, ctx));
    expect(e.input).toBe('key-prefix');
    expect(e.message).toMatch(/must be|has no value/);
    expect(e.message).not.toMatch(/[\n\u001b]/);
  }
  expect(inputs.renderPrefix('pr-{pr_number}/', { prNumber: 4711 })).toBe('pr-4711/');
});

test('core refusals are re-worded with the action input names', () => {
  const ctx = { key: 'k', origin: 'files' as const };
  expect(inputs.fromPresignError(new PresignError('credentialExpiresAt', 'x'), ctx).message).toBe(
    'Input "credential-expiration": x',
  );
  expect(inputs.fromPresignError(new PresignError('params', 'pass the token as securityToken'), ctx).message).toBe(
    'Input "params": pass the token as security-token',
  );
  expect(inputs.fromPresignError(new PresignError('key', 'is too long'), ctx).message).toBe(
    'Input "files": key "k": is too long',
  );
  expect(
    inputs.fromPresignError(new PresignError('endpoint', 'bad host'), { ...ctx, endpointIsDomain: true }).input,
  ).toBe('domain');
  // A real core refusal, end to end.
  let err: unknown;
  try {
    presign({ secretId: 'a', secretKey: 'b', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: '/' });
  } catch (e) {
    err = e;
  }
  const mapped = inputs.fromPresignError(err as PresignError, { key: '/', origin: 'keys' });
  expect(mapped.input).toBe('keys');
  expect(mapped.message).not.toContain('keySimplifyCheck');
  expect(mapped.message).toMatch(/simplifies to "\/".*pass an object key$/);
});

test('no file of src/action writes to the log except through log.ts (which neutralises input text)', () => {
  const dir = path.join(__dirname, '..', '..', 'src', 'action');
  const offenders: string[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'log.ts')) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(
      /\bcore\.(info|warning|error|notice|debug|setFailed|startGroup|group|summary\.addRaw)\b/g,
    )) {
      // The summary is written from HTML built with htmlText (format.ts), checked by its own tests,
      // where the outputs are set: signing mode (main.ts) and upload mode (upload.ts).
      if (m[1] === 'summary.addRaw' && (f === 'main.ts' || f === 'upload.ts')) continue;
      offenders.push(`${f}: core.${m[1]}`);
    }
    if (/process\.(stdout|stderr)\.write|console\./.test(text)) offenders.push(`${f}: direct write`);
  }
  expect(offenders).toEqual([]);
});

test('summary: escapes keys, hides URLs unless links, and stays under the 1 MiB limit', () => {
  const entry = (i: number) => ({
    key: `k/<b>${i}|x`,
    url: `https://h/k?sig=${i}&a=b`,
    method: 'GET' as const,
    headers: { 'Content-Type': 'a/b' },
  });
  const names = summaryHtml('names', {
    provider: 'cos',
    bucket: 'b',
    expiresAt: 'T',
    entries: [entry(1)],
    warnings: ['w <1>'],
  });
  expect(names).toContain('<code>k/&lt;b&gt;1&#124;x</code>');
  expect(names).toContain('w &lt;1&gt;');
  expect(names).not.toContain('https://');
  expect(
    summaryHtml('links', { provider: 'cos', bucket: 'b', expiresAt: 'T', entries: [entry(1)], warnings: [] }),
  ).toContain('href="https://h/k?sig=1&amp;a=b"');
  expect(summaryHtml('none', { provider: 'cos', bucket: 'b', expiresAt: 'T', entries: [entry(1)], warnings: [] })).toBe(
    '',
  );

  const many = Array.from({ length: 5000 }, (_, i) => ({ ...entry(i), url: `https://h/${'x'.repeat(400)}?sig=${i}` }));
  const big = summaryHtml('links', { provider: 'cos', bucket: 'b', expiresAt: 'T', entries: many, warnings: [] });
  expect(Buffer.byteLength(big)).toBeLessThanOrEqual(SUMMARY_BUDGET);
  expect(big).toMatch(/<p>\d+ more keys are not listed/);
  expect(big).toContain('<details><summary>5000 keys</summary>');
});

test('files: keys relative to the workspace in path order; patterns leaving it refused naming files; pins from the bytes', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-units-'));
  try {
    fs.mkdirSync(path.join(ws, 'b'));
    fs.writeFileSync(path.join(ws, 'b', 'z.tar.gz'), 'hello');
    fs.writeFileSync(path.join(ws, 'a.bin'), '');
    const roots = await realRoots([{ name: 'the workspace', dir: ws }]);
    // @actions/glob is ESM-only (jest cannot load it; the bundled action runs it): literal paths here.
    const literal = async (p: string) => {
      const first = path.resolve(ws, p.split('\n')[0]);
      return fs.existsSync(first) ? [first] : [];
    };
    const { files, unmatched } = await matchFiles(['b/z.tar.gz', 'a.bin', path.join(ws, 'a.bin')], ws, roots, literal);
    expect(unmatched).toEqual([]);
    expect(files.map((f) => f.relative)).toEqual(['a.bin', 'b/z.tar.gz']);
    expect(await filePins(files[1])).toEqual({
      'Content-Length': '5',
      'Content-MD5': 'XUFAKrxLKna5cZ2REBfFkg==',
      'Content-Type': 'application/gzip',
    });
    expect(await filePins(files[0])).toEqual({
      'Content-Length': '0',
      'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==',
      'Content-Type': 'application/octet-stream',
    });
    // 10.7: a pattern that leaves the workspace fails naming files, whether or not it matches.
    fs.writeFileSync(path.join(ws, '..', `${path.basename(ws)}-sibling.txt`), 'x');
    for (const p of [
      '../x',
      `../${path.basename(ws)}-sibling.txt`,
      'b/../../x',
      '!../x',
      '~/.ssh/id_rsa',
      '/etc/passwd',
      '..',
    ]) {
      const e = await asyncRefusal(() => matchFiles(['b/z.tar.gz', p], ws, roots, literal));
      expect(e.input).toBe('files');
      expect(e.message).toContain(JSON.stringify(p));
    }
    // An absolute pattern inside the workspace is fine; a sibling folder sharing its name's start is not inside.
    expect((await matchFiles([path.join(ws, 'a.bin')], ws, roots, literal)).files.map((f) => f.relative)).toEqual([
      'a.bin',
    ]);
    expect((await asyncRefusal(() => matchFiles([`${ws}-sibling.txt`], ws, roots, literal))).message).toMatch(
      /is an absolute path outside the workspace/,
    );
    expect(contentType('A.JSON')).toBe('application/json');
  } finally {
    fs.rmSync(path.join(ws, '..', `${path.basename(ws)}-sibling.txt`), { force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('the workflow context is read from GITHUB_* and the event payload file, as @actions/github reads it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-event-'));
  try {
    const event = path.join(dir, 'event.json');
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 17 } }));
    const env = {
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_RUN_ID: '5',
      GITHUB_RUN_NUMBER: '6',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
    };
    expect(templateContext(env)).toEqual({
      owner: 'o',
      repo: 'r',
      ref: 'refs/pull/17/merge',
      sha: 'a'.repeat(40),
      runId: '5',
      runNumber: '6',
      runAttempt: '1',
      eventName: 'pull_request',
      prNumber: 17,
    });
    expect(inputs.renderPrefix('pr/{pr_number}/{ref_name}/', templateContext(env))).toBe('pr/17/17/merge/');
    // A payload whose number is not a number is refused by the placeholder, not used.
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: '17\n::warning::x' } }));
    expect(refusal(() => inputs.renderPrefix('{pr_number}', templateContext(env))).message).toMatch(
      /\{pr_number\} must be a positive whole number/,
    );
    fs.writeFileSync(event, 'not json');
    expect(templateContext(env).prNumber).toBeUndefined();
    expect(templateContext({ ...env, GITHUB_EVENT_PATH: path.join(dir, 'missing.json') }).prNumber).toBeUndefined();
    expect(templateContext({ GITHUB_REPOSITORY: 'a/b/c' })).toMatchObject({ owner: undefined, repo: undefined });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

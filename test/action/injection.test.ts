/**
 * Security round 2, as the runner would see it (the bundled action, Node 24):
 * 10.1 file names, keys, bucket names, header values and params of hostile origin never form a
 *      workflow command in the log nor markup in the job summary;
 * 10.2 `files` signs only regular files whose real path is inside the workspace, and skips
 *      `.git/` unless a pattern names it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActionRun, removeWorkspaces, runAction, signaturesOf, tempWorkspace } from './run-action';

afterAll(removeWorkspaces);

const S3 = {
  provider: 's3',
  'secret-id': 'AKIAINJECTIONTEST001',
  'secret-key': 'injectionTestSecretKey/000000000001',
  region: 'eu-west-1',
  bucket: 'my-artifacts',
};

/** Names a pull request could commit (no "/" or NUL, which file names cannot hold). */
const HOSTILE = [
  'a\n::warning title=x::y\n\nb',
  '##[error]x',
  'mid ##[warning]line',
  '::add-mask::x',
  '::stop-commands::tok1234567',
  '  ::error::indented',
  '\u00a0::notice::nbsp',
  '\u2028::error::ls',
  'x\r::error::cr',
  'tab\t::debug::x',
  '# heading',
  '</code></td></tr></table><h1>x',
  '<script>alert(1)</script>',
  '[link](https:\u2215\u2215evil.example)',
  'pr\u202etxt.exe',
  '%0A::error::encoded',
  '\u001b[8mhidden',
];

/** The workflow commands the action itself may issue. */
// debug: @actions/glob's own, data escaped by @actions/core (shown only in debug logs).
const OWN_COMMANDS = new Set(['add-mask', 'warning', 'error', 'group', 'endgroup', 'debug']);

/**
 * Every line the runner would read as a command (ActionCommand.cs: `::name` after trimming
 * leading whitespace, `##[name` anywhere), with its name.
 */
function commandsIn(text: string): Array<{ name: string; line: string }> {
  const out: Array<{ name: string; line: string }> = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const v2 = /^::([^\s:]+)/.exec(line.replace(/^[\s\u0085]+/u, ''));
    if (v2) out.push({ name: v2[1], line });
    for (const m of line.matchAll(/##\[([^\]\s;]*)/g)) out.push({ name: `legacy ${m[1]}`, line });
  }
  return out;
}

/** Only the action's own commands; every mask is of a secret or of something it signed. */
function expectOnlyOwnCommands(run: ActionRun, maskable: string[]): void {
  const commands = commandsIn(`${run.stdout}\n${run.stderr}`);
  expect(commands.filter((c) => !OWN_COMMANDS.has(c.name))).toEqual([]);
  for (const c of commands.filter((x) => x.name === 'add-mask')) {
    const value = c.line
      .replace(/^::add-mask::/, '')
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%25/g, '%');
    expect(maskable).toContain(value);
  }
}

const ALLOWED_TAGS = new Set(['h3', 'p', 'code', 'strong', 'table', 'tr', 'th', 'td', 'br', 'details', 'summary', 'a']);

/** The summary's markup is the action's own: known elements only, one row per key, no Markdown. */
function expectCleanSummary(summary: string, rows: number): void {
  const tags = [...summary.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1].toLowerCase());
  expect(tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  expect((summary.match(/<tr>/g) ?? []).length).toBe(rows + 1);
  const lines = summary.split('\n');
  // Markdown only starts after a blank line ends an HTML block; the only blank line is the one after <summary>.
  lines.forEach((l, i) => {
    if (l === '' && i > 0 && i < lines.length - 1) expect(lines[i - 1]).toMatch(/<summary>.*<\/summary>$/);
    if (l !== '') expect(l.startsWith('<')).toBe(true);
  });
  expect(summary).not.toMatch(/[\r\u2028\u2029\u202e\u001b]/);
}

describe('10.1: hostile names reach no workflow command and no markup', () => {
  test('files named to inject: PUT and GET, names and links summaries, glued key-prefix warnings', async () => {
    const files: Record<string, string> = {};
    for (const [i, n] of HOSTILE.entries()) files[`dist/${n}`] = `file ${i}`;
    const ws = tempWorkspace(files);
    for (const mode of [
      { method: 'PUT', summary: 'names' },
      { method: 'GET', summary: 'links' },
    ]) {
      const run = await runAction({
        workspace: ws,
        inputs: {
          ...S3,
          ...mode,
          files: 'dist/*',
          'key-prefix': 'p',
          headers: 'x-amz-meta-note: ##[error]meta ::add-mask::v',
          params: 'x-id=::stop-commands::abc',
        },
      });
      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      const urls = JSON.parse(run.outputs.urls) as Record<string, string>;
      // The data is intact in the outputs: every name is a key, byte for byte.
      expect(Object.keys(urls).sort()).toEqual(HOSTILE.map((n) => `pdist/${n}`).sort());
      const maskable = [S3['secret-key'], ...Object.values(urls), ...Object.values(urls).flatMap(signaturesOf)];
      expectOnlyOwnCommands(run, maskable);
      expectCleanSummary(run.summary, HOSTILE.length);
      // The glued key-prefix warning names a key, escaped.
      expect(
        run.warnings.some(
          (w) => w.includes('key-prefix \\"p\\" does not end in') || w.includes('key-prefix "p" does not end in'),
        ),
      ).toBe(true);
    }
  });

  test('one hostile key, bucket or header in each input, on success and on refusal', async () => {
    const cases: Array<Record<string, string>> = [
      { key: 'a\n::warning title=x::y\n\nb' },
      { key: '##[error]x\n::stop-commands::tok1234567' },
      { key: 'x', bucket: 'a\n::add-mask::b' },
      { key: 'x', bucket: '##[error]bucket' },
      { key: 'x', headers: 'Bad\n::error::Name: v' },
      { key: 'x', headers: 'x-amz-meta-a: 1\nx-amz-meta-a: 2' },
      { key: 'x', params: '::error::=1\n::error::=2' },
      { key: 'x', region: '::error::region' },
      { key: 'x', expires: '::error::1h' },
      { key: 'x', 'start-time': '##[error]t' },
      { key: 'x', method: '::add-mask::GET' },
      { key: 'x', summary: '##[warning]all' },
      { key: 'a\u001b]52;c;ZXZpbA==\u0007', keys: 'a\u001b]52;c;ZXZpbA==\u0007' },
      { key: '', files: '::error::*.zip' },
      { key: '', files: '##[error]x' },
    ];
    for (const c of cases) {
      const run = await runAction({ inputs: { ...S3, ...c } });
      const urls = run.outputs.urls ? Object.values(JSON.parse(run.outputs.urls) as Record<string, string>) : [];
      expectOnlyOwnCommands(run, [S3['secret-key'], ...urls, ...urls.flatMap(signaturesOf)]);
      if (run.code === 0) expectCleanSummary(run.summary, urls.length);
      else expect(run.errors).toHaveLength(1);
    }
  }, 120_000);
});

test('{pr_number} from the event payload must be a number', async () => {
  const ws = tempWorkspace({ 'event-ok.json': JSON.stringify({ pull_request: { number: 42 } }) });
  const bad = ['7\n::warning::x', '7/../../x', '##[error]1', -1, 1.5, { n: 1 }, null];
  for (const [i, n] of bad.entries())
    fs.writeFileSync(path.join(ws, `event-${i}.json`), JSON.stringify({ pull_request: { number: n } }));
  const ok = await runAction({
    workspace: ws,
    env: { GITHUB_EVENT_PATH: path.join(ws, 'event-ok.json') },
    inputs: { ...S3, 'key-prefix': 'pr-{pr_number}/', key: 'a.txt' },
  });
  expect(ok.code).toBe(0);
  expect(Object.keys(JSON.parse(ok.outputs.urls))).toEqual(['pr-42/a.txt']);
  for (const i of bad.keys()) {
    const run = await runAction({
      workspace: ws,
      env: { GITHUB_EVENT_PATH: path.join(ws, `event-${i}.json`) },
      inputs: { ...S3, 'key-prefix': 'pr-{pr_number}/', key: 'a.txt' },
    });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error::Input "key-prefix": \{pr_number\} (must be a positive whole number|has no value here)/,
      ),
    ]);
    expectOnlyOwnCommands(run, [S3['secret-key']]);
  }
}, 120_000);

describe('10.2: files are regular files whose real path is inside the workspace', () => {
  function workspaceWithLinks(): string {
    const ws = tempWorkspace({
      'dist/ok.txt': 'ok',
      'dist/real/inner.txt': 'inner',
      '.git/config': '[http] extraheader = AUTHORIZATION: basic xyz',
      'sub/.git/HEAD': 'ref',
    });
    fs.symlinkSync('ok.txt', path.join(ws, 'dist', 'inside-link.txt'));
    return ws;
  }

  test('a relative link that stays inside is signed as its own name; .git/ is skipped by **', async () => {
    const ws = workspaceWithLinks();
    const run = await runAction({ workspace: ws, inputs: { ...S3, method: 'PUT', files: '**' } });
    expect(run.errors).toEqual([]);
    const requests = JSON.parse(run.outputs.requests) as Record<
      string,
      { headers: Record<string, string>; file: string }
    >;
    expect(Object.keys(requests)).toEqual(['dist/inside-link.txt', 'dist/ok.txt', 'dist/real/inner.txt']);
    // The link's pins are those of the file it points to.
    expect(requests['dist/inside-link.txt'].headers['Content-Length']).toBe('2');
    expect(run.warnings).toEqual([]);
  });

  test('a pattern naming .git matches it, with a warning about the checkout token', async () => {
    const run = await runAction({ workspace: workspaceWithLinks(), inputs: { ...S3, files: '.git/*' } });
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.outputs.urls))).toEqual(['.git/config']);
    expect(run.warnings).toEqual([expect.stringContaining('under .git/ matched because a pattern names .git')]);
  });

  const refusals: Array<[string, (ws: string) => void, string, RegExp]> = [
    [
      'a link to /etc/passwd',
      (ws) => fs.symlinkSync('/etc/passwd', path.join(ws, 'dist', 'notes.txt')),
      'dist/*',
      /"dist\/notes.txt" resolves \(through a symbolic link\) to "\/etc\/passwd", which is outside the workspace/,
    ],
    [
      'a link to a folder outside',
      (ws) => fs.symlinkSync(path.dirname(ws), path.join(ws, 'dist', 'up')),
      'dist/**',
      /"dist\/up" resolves \(through a symbolic link\) to .*, which is outside the workspace/,
    ],
    [
      'a relative link out',
      (ws) => fs.symlinkSync('../../x', path.join(ws, 'dist', 'rel.txt')),
      'dist/rel.txt',
      /"dist\/rel.txt" is a symbolic link to nothing|outside the workspace/,
    ],
    [
      'a link to /dev/zero (PUT reads files)',
      (ws) => fs.symlinkSync('/dev/zero', path.join(ws, 'dist', 'zero.bin')),
      'dist/*',
      /"dist\/zero.bin" resolves \(through a symbolic link\) to "\/dev\/zero", which is outside the workspace/,
    ],
    [
      'a FIFO (PUT reads files)',
      (ws) => execFileSync('mkfifo', [path.join(ws, 'dist', 'pipe')]),
      'dist/*',
      /"dist\/pipe" is a named pipe \(FIFO\); only regular files are signed/,
    ],
    [
      'a link to a folder inside',
      (ws) => fs.symlinkSync('real', path.join(ws, 'dist', 'alias')),
      'dist/*',
      /"dist\/alias" is a directory \(through a symbolic link/,
    ],
    [
      'a hostile name linking out',
      (ws) => fs.symlinkSync('/etc/hostname', path.join(ws, 'dist', '::warning::x\n##[error]y')),
      'dist/*',
      /outside the workspace/,
    ],
    ['a pattern going up', () => undefined, '../x', /pattern "..\/x" goes up out of the workspace/],
    ['a pattern in the home folder', () => undefined, '~/.ssh/*', /pattern "~\/.ssh\/\*" starts with "~"/],
  ];
  test.each(refusals)(
    '%s is refused naming files and the path',
    async (_name, make, pattern, message) => {
      const ws = workspaceWithLinks();
      make(ws);
      const started = Date.now();
      const run = await runAction({ workspace: ws, inputs: { ...S3, method: 'PUT', files: pattern } });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(run.code).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^::error::Input "files": /);
      expect(run.errors[0]).toMatch(message);
      expect(run.rawOutput).toBe('');
      expectOnlyOwnCommands(run, [S3['secret-key']]);
    },
    30_000,
  );
});

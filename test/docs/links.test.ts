/**
 * Every relative link in the documentation resolves inside the repository: the file or folder
 * exists, and a `#fragment` into a Markdown file names one of its headings. Links to other
 * sites are not fetched (tests never leave 127.0.0.1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { anchors, brokenLink, documentationFiles, links, ROOT } from './markdown';

const FILES = documentationFiles();

test('the documentation set is what the project documents itself with', () => {
  for (const f of [
    'README.md',
    'ARCHITECTURE.md',
    'SECURITY.md',
    'docs/action.md',
    'docs/cli.md',
    'docs/pulumi.md',
    'docs/library.md',
  ]) {
    expect(FILES).toContain(f);
  }
});

test.each(FILES)('every relative link in %s resolves inside the repository', (file) => {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found = links(text);
  const broken = found
    .map((l) => ({ ...l, problem: brokenLink(ROOT, file, l.target) }))
    .filter((l) => l.problem !== undefined)
    .map((l) => `${file}:${l.line}: (${l.target}) ${l.problem}`);
  expect(broken).toEqual([]);
});

test('the README links to every manual, the architecture, the security policy and the license', () => {
  const targets = new Set(
    links(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]),
  );
  for (const t of [
    'docs/action.md',
    'docs/cli.md',
    'docs/pulumi.md',
    'docs/library.md',
    'docs/upload.md',
    'docs/credentials.md',
    'ARCHITECTURE.md',
    'SECURITY.md',
    'LICENSE',
  ]) {
    expect(targets).toContain(t);
  }
});

describe('the link checker itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-links-'));
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs', 'a.md'), '# Title\n\n## Masking: what is `hidden`, and why\n\n## Title\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# R\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('finds inline links, images, reference definitions and HTML, but not code', () => {
    const md = [
      'See [the manual](docs/a.md#title) and ![logo](img/logo.png "Logo").',
      '[ref]: ../outside.md',
      '<a href="docs/b.md">b</a>',
      'Not a link: `[x](in-code.md)`',
      '```md',
      '[y](in-fence.md)',
      '```',
      '[site](https://example.com/x) [mail](mailto:a@example.com) [here](#title)',
    ].join('\n');
    expect(links(md).map((l) => [l.target, l.line])).toEqual([
      ['docs/a.md#title', 1],
      ['img/logo.png', 1],
      ['../outside.md', 2],
      ['docs/b.md', 3],
      ['https://example.com/x', 8],
      ['mailto:a@example.com', 8],
      ['#title', 8],
    ]);
  });

  test('reports missing files, paths leaving the repository and unknown anchors', () => {
    expect(brokenLink(dir, 'README.md', 'docs/a.md')).toBeUndefined();
    expect(brokenLink(dir, 'README.md', 'docs/')).toBeUndefined();
    expect(brokenLink(dir, 'docs/a.md', '../README.md')).toBeUndefined();
    expect(brokenLink(dir, 'README.md', 'https://example.com/nowhere')).toBeUndefined();
    expect(brokenLink(dir, 'README.md', 'docs/missing.md')).toBe('docs/missing.md does not exist');
    expect(brokenLink(dir, 'docs/a.md', '../../etc/passwd')).toMatch(/^points outside the repository/);
    expect(brokenLink(dir, 'README.md', 'docs/a.md#nope')).toBe('docs/a.md has no heading with anchor #nope');
    expect(brokenLink(dir, 'docs/a.md', '#title-1')).toBeUndefined();
  });

  test('computes GitHub heading anchors', () => {
    expect([...anchors('# Title\n## Masking: what is `hidden`, and why\n## Title\n## `cos-presign url`\n')]).toEqual([
      'title',
      'masking-what-is-hidden-and-why',
      'title-1',
      'cos-presign-url',
    ]);
  });
});

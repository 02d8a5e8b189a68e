/**
 * 10.2: a file named by a pattern is judged by where it really is. Real symbolic links, a FIFO
 * and a device in a temporary workspace; nothing is ever opened before the check.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLocalFile, isInside, openRegularFile, outsideRoot, realRoots, Root } from '../../src/shared/local-files';

let base: string;
let ws: string;
let roots: Root[];

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-links-')));
  ws = path.join(base, 'ws');
  fs.mkdirSync(path.join(ws, 'dist', 'real'), { recursive: true });
  fs.mkdirSync(path.join(base, 'outside'));
  fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'outside');
  fs.writeFileSync(path.join(ws, 'dist', 'real', 'ok.txt'), 'ok');
  fs.symlinkSync('/etc/passwd', path.join(ws, 'dist', 'passwd.txt'));
  fs.symlinkSync(path.join(base, 'outside'), path.join(ws, 'dist', 'out-dir'));
  fs.symlinkSync('/dev/zero', path.join(ws, 'dist', 'zero.bin'));
  fs.symlinkSync('real/ok.txt', path.join(ws, 'dist', 'inside-link.txt'));
  fs.symlinkSync('../../outside/secret.txt', path.join(ws, 'dist', 'relative-out.txt'));
  fs.symlinkSync('real', path.join(ws, 'dist', 'inside-dir'));
  fs.symlinkSync('missing.txt', path.join(ws, 'dist', 'dangling.txt'));
  execFileSync('mkfifo', [path.join(ws, 'dist', 'pipe')]);
  roots = await realRoots([{ name: 'the workspace', dir: ws }]);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const at = (rel: string) => path.join(ws, rel);

test('a regular file, directly or through a relative link that stays inside, is allowed at its real path', async () => {
  expect(await checkLocalFile(at('dist/real/ok.txt'), roots)).toEqual({
    ok: true,
    real: at('dist/real/ok.txt'),
    size: 2,
  });
  expect(await checkLocalFile(at('dist/inside-link.txt'), roots)).toEqual({
    ok: true,
    real: at('dist/real/ok.txt'),
    size: 2,
  });
  expect(await checkLocalFile(at('dist/inside-dir/ok.txt'), roots)).toMatchObject({
    ok: true,
    real: at('dist/real/ok.txt'),
  });
});

test.each([
  ['dist/passwd.txt', /resolves \(through a symbolic link\) to "\/etc\/passwd", which is outside the workspace/],
  [
    'dist/out-dir/secret.txt',
    /resolves \(through a symbolic link\) to ".*outside\/secret.txt", which is outside the workspace/,
  ],
  ['dist/relative-out.txt', /outside the workspace/],
  ['dist/out-dir', /outside the workspace/],
  ['dist/zero.bin', /outside the workspace/],
  ['dist/pipe', /is a named pipe \(FIFO\); only regular files are signed/],
  ['dist/inside-dir', /is a directory \(through a symbolic link, ".*dist\/real"\)/],
  ['dist/real', /is a directory; only regular files are signed/],
  ['dist/dangling.txt', /symbolic link to nothing/],
])(
  '%s is refused',
  async (rel, problem) => {
    const r = await checkLocalFile(at(rel), roots);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  },
  10_000,
);

test('a device inside an allowed root is refused as a device, without being opened (no hang)', async () => {
  const devRoots = await realRoots([{ name: 'base-dir', dir: '/dev' }]);
  const r = await checkLocalFile('/dev/zero', devRoots);
  expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^is a character device/) });
}, 5_000);

test('every root applies: inside the workspace but outside base-dir is refused naming base-dir', async () => {
  const both = await realRoots([
    { name: 'the workspace', dir: ws },
    { name: 'base-dir', dir: at('dist/real') },
  ]);
  expect(await checkLocalFile(at('dist/real/ok.txt'), both)).toMatchObject({ ok: true });
  const other = at('dist/other.txt');
  fs.writeFileSync(other, 'x');
  expect(await checkLocalFile(other, both)).toEqual({
    ok: false,
    problem: expect.stringContaining('outside base-dir'),
  });
  expect(outsideRoot(other, both)?.name).toBe('base-dir');
});

test('isInside is about path segments, not string prefixes', () => {
  expect(isInside('/w/a', '/w')).toBe(true);
  expect(isInside('/w', '/w')).toBe(false);
  expect(isInside('/w2/a', '/w')).toBe(false);
  expect(isInside('/w/../x', '/w')).toBe(false);
});

test('openRegularFile refuses a FIFO and a symbolic link without blocking', async () => {
  await expect(openRegularFile(at('dist/pipe'))).rejects.toThrow(/no longer a regular file/);
  await expect(openRegularFile(at('dist/inside-link.txt'))).rejects.toThrow(/ELOOP|symbolic/);
  const { handle, size } = await openRegularFile(at('dist/real/ok.txt'));
  await handle.close();
  expect(size).toBe(2);
}, 5_000);

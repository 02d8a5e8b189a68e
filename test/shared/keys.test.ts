/** 13.7: key assembly mistakes are warned about, showing the resulting key. */
import { assembleKey } from '../../src/shared/keys';

const names = { prefix: 'key-prefix', key: 'keys' };

test('a prefix without a trailing "/" glued to the name is warned about with the resulting key', () => {
  for (const [prefix, key, full] of [
    ['app/v1.2.3', 'dist/a.zip', 'app/v1.2.3dist/a.zip'],
    ['releases', 'x', 'releasesx'],
    ['a/b-', 'c', 'a/b-c'],
  ]) {
    const r = assembleKey(prefix, key, 's3', names);
    expect(r.key).toBe(full);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(`key-prefix ${JSON.stringify(prefix)} does not end in "/"`);
    expect(r.warnings[0]).toContain(`the key is ${JSON.stringify(full)}`);
  }
});

test('a leading "/" after a prefix ending in "/" (an empty segment) is warned about for every provider', () => {
  for (const provider of ['cos', 'tos', 's3'] as const) {
    const r = assembleKey('app/', '/a.txt', provider, names);
    expect(r.key).toBe('app//a.txt');
    expect(r.warnings).toEqual([
      expect.stringContaining('the key "app//a.txt" contains "//" (key-prefix ends in "/" and keys starts with "/")'),
    ]);
  }
});

test('a key starting with "/": kept by S3 and TOS (warned), the root for COS (not warned); "//" anywhere is warned', () => {
  expect(assembleKey('', '/a.txt', 's3', { key: '<key>' }).warnings).toEqual([
    expect.stringContaining('the key "/a.txt" starts with "/", which s3 keeps'),
  ]);
  expect(assembleKey('', '/a.txt', 'tos', { key: '<key>' }).warnings).toHaveLength(1);
  expect(assembleKey('', '/a.txt', 'cos', { key: '<key>' }).warnings).toEqual([]);
  expect(assembleKey('', '//a.txt', 'cos', { key: '<key>' }).warnings).toHaveLength(1);
  expect(assembleKey('', 'a//b.txt', 'cos', { key: '<key>' }).warnings).toEqual([
    expect.stringContaining('contains "//" (it has an empty path segment)'),
  ]);
});

test('well-formed keys give no warning', () => {
  for (const [prefix, key] of [
    ['', 'a.txt'],
    ['app/', 'a.txt'],
    ['app/v1/', 'dist/x y.zip'],
    ['app/', ''],
    ['', 'dir/'],
  ]) {
    expect(assembleKey(prefix, key, 'cos', names).warnings).toEqual([]);
    expect(assembleKey(prefix, key, 's3', names).warnings).toEqual([]);
  }
});

test('a hostile key is quoted with its control characters escaped', () => {
  const r = assembleKey('p', 'a\n::warning::x', 's3', names);
  expect(r.key).toBe('pa\n::warning::x');
  expect(r.warnings[0]).not.toContain('\n');
});

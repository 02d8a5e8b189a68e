/** Shell quoting and the curl command, checked by letting bash parse what was printed. */
import { spawnSync } from 'node:child_process';
import { curlCommand, shellQuote } from '../../src/shared/shell';

/** The words bash makes of `text`. */
function bashWords(text: string): string[] {
  const r = spawnSync('bash', ['-c', `set -- ${text}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return r.stdout.split('\0').slice(0, -1);
}

const TRICKY = [
  `it's $(rm -rf) "x" \`y\``,
  'plain-word_1.2',
  'a b',
  "'",
  '\\',
  'line\nbreak',
  'esc\u001b[31mred',
  'cr\rOK: fine',
  'bidi\u202eexe.txt',
  'c1\u009bx',
  '-starts-with-dash',
  '文件 名.txt',
  '$HOME ${x} !event',
];

test.each(TRICKY)('shellQuote(%j) is one word for bash, and prints on one line without raw controls', (w) => {
  const q = shellQuote(w);
  expect(bashWords(q)).toEqual([w]);
  expect(q).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
});

test('curl: every method, headers and files survive bash as the intended words', () => {
  const url = `https://h/p?a=1&b='`;
  const tricky = TRICKY[0];
  const put = curlCommand({ url, method: 'PUT', headers: { 'x-cos-meta-a': tricky } }, { uploadFile: `dir/${tricky}` });
  expect(bashWords(put.replace(/^curl /, ''))).toEqual([
    '--fail-with-body',
    '-sS',
    '-H',
    `x-cos-meta-a: ${tricky}`,
    '--upload-file',
    `dir/${tricky}`,
    url,
  ]);
  expect(curlCommand({ url: 'u', method: 'HEAD', headers: {} })).toBe('curl --fail-with-body -sS --head u');
  expect(curlCommand({ url: 'u', method: 'DELETE', headers: {} })).toBe('curl --fail-with-body -sS -X DELETE u');
  expect(curlCommand({ url: 'u', method: 'PUT', headers: {} })).toBe(
    `curl --fail-with-body -sS --upload-file '<file>' u`,
  );
  expect(curlCommand({ url: 'u', method: 'GET', headers: {} }, { outputFile: 'a b.txt' })).toBe(
    `curl --fail-with-body -sS -o 'a b.txt' u`,
  );
  // A file named like an option or "-" (stdin/stdout for curl) is made a path.
  expect(
    bashWords(curlCommand({ url: 'u', method: 'GET', headers: {} }, { outputFile: '-' }).replace(/^curl /, '')),
  ).toContain('./-');
  expect(
    bashWords(
      curlCommand({ url: 'u', method: 'PUT', headers: {} }, { uploadFile: '--config=x' }).replace(/^curl /, ''),
    ),
  ).toContain('./--config=x');
  expect(curlCommand({ url: 'u', method: 'POST', headers: {} }, { uploadFile: 'f' })).toBe(
    'curl --fail-with-body -sS -X POST --data-binary @f u',
  );
});

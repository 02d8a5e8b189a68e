import { escapeControls } from '../../src/shared/text';

describe('escapeControls', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\r\nOK: fine', 'a\\r\\nOK: fine'],
    ['\u001b[8mhidden\u001b[0m', '\\x1b[8mhidden\\x1b[0m'],
    ['\u001b]52;c;ZXZpbA==\u0007', '\\x1b]52;c;ZXZpbA==\\x07'],
    ['\u009b31m', '\\x9b31m'],
    ['tab\there', 'tab\\there'],
    ['x\u2028y\u2029z', 'x\\u2028y\\u2029z'],
    ['evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    ['\u0000\u007f', '\\x00\\x7f'],
  ])('escapes %j visibly', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('keeps printable text as it is, non-ASCII and backslashes included', () => {
    for (const s of ['dist/app v1 (final).tar.gz', '文件/报告.pdf', 'C:\\path\\x', '']) {
      expect(escapeControls(s)).toBe(s);
    }
  });

  it('never leaves a control character in its output', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c);
    expect(escapeControls(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  });
});

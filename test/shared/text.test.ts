import { escapeControls, htmlText, logSafe, terminalJson } from '../../src/shared/text';

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

/**
 * Whether a log line would be read by the runner as a workflow command (actions/runner
 * ActionCommand.cs): `::name…::` after the line's leading whitespace is trimmed (C#
 * String.Trim), or the legacy `##[name…]` anywhere. An oracle written from the runner's rules,
 * not from logSafe.
 */
function isWorkflowCommand(line: string): boolean {
  const trimmed = line.replace(/^[\s\u0085]+/u, '');
  return trimmed.startsWith('::') || line.includes('##[');
}

const HOSTILE = [
  'a\n::warning title=x::y\n\nb',
  '::add-mask::x',
  '::stop-commands::tok',
  '  ::error::indented',
  '\u00a0\u3000::notice::unicode spaces',
  '\t::debug::tab',
  '##[error]x',
  'text ##[warning]mid-line',
  '##[group]a##[endgroup]',
  '# heading',
  '</code></td></tr></table><h1>x',
  'x\r::set-output name=a::b',
  'x\u2028::error::ls',
  '%0A::error::encoded',
  ':::',
  '::',
];

describe('logSafe', () => {
  it.each(HOSTILE)('never forms a workflow command or a new line: %j', (s) => {
    const out = logSafe(s);
    expect(out.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
    expect(isWorkflowCommand(out)).toBe(false);
    // Also as the rest of a line that starts with text, and as a line of its own after a prefix-less join.
    expect(isWorkflowCommand(logSafe(`Key: ${s}`))).toBe(false);
  });

  it('keeps ordinary text, colons and hashes as they are', () => {
    for (const s of ['dist/app-1.2.3.tar.gz', 'a::b', 'C# notes', 'x ## y', 'time 12:00:00', '[#]', ''])
      expect(logSafe(s)).toBe(s);
    expect(logSafe('::x')).toBe('\\x3a:x');
    expect(logSafe('##[error]x')).toBe('##\\x5berror]x');
  });
});

describe('htmlText', () => {
  it.each(HOSTILE)('is one line of text with no markup: %j', (s) => {
    const out = htmlText(s);
    expect(out).not.toMatch(/[<>"'\n\r\u2028\u2029]/);
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;|#124;)/);
  });
});

describe('terminalJson', () => {
  it('parses back to the same value and leaves no raw control character', () => {
    const value = { k: 'a\u009b31m\u202eb\u2028c\u0000\u001b]52;c;x\u0007', n: 1, list: ['\u0085'] };
    const text = terminalJson(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  });
});

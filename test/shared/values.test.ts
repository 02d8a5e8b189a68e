/** The one parser of durations, times, headers and params that the action and the CLI share. */
import {
  parseDuration,
  parseHeaderLines,
  parseParamLines,
  parseTime,
  quoted,
  ValueError,
} from '../../src/shared/values';

function refusal(fn: () => unknown): ValueError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValueError) return e;
    throw e;
  }
  throw new Error('not refused');
}

test('durations: seconds, or a number with s, m, h or d', () => {
  const good: Array<[string, number]> = [
    ['600', 600],
    ['1', 1],
    ['45s', 45],
    ['30m', 1800],
    ['12h', 43200],
    ['7d', 604800],
    [' 90 ', 90],
    ['999999999999', 999999999999],
  ];
  for (const [v, n] of good) expect(parseDuration(v)).toBe(n);
  for (const bad of ['', 'abc', '1.5', '-1', '1e3', '7w', '1h30m', '10x', 'h', '٣', '1 h', '0x10']) {
    expect(refusal(() => parseDuration(bad)).message).toMatch(
      /is not a duration; use seconds \(600\) or a number with s, m, h or d/,
    );
  }
  expect(refusal(() => parseDuration('1234567890123')).message).toMatch(/too long a duration/);
  for (const zero of ['0', '0s', '0m', '00', '0d'])
    expect(refusal(() => parseDuration(zero)).message).toMatch(/^must be more than 0; got "0/);
});

test('times: unix seconds or ISO 8601, UTC without an offset, impossible dates refused', () => {
  const good: Array<[string, number]> = [
    ['1767225600', 1767225600],
    ['2026-01-01T00:00:00Z', 1767225600],
    ['2026-01-01', 1767225600],
    ['2026-01-01T00:00:00', 1767225600],
    ['2026-01-01 00:00', 1767225600],
    ['2026-01-01T08:00:00+08:00', 1767225600],
    ['2026-01-01T00:00:00.999Z', 1767225600],
    ['2024-02-29T00:00:00Z', 1709164800],
  ];
  for (const [v, n] of good) expect(parseTime(v)).toBe(n);
  for (const bad of [
    'yesterday',
    '2026-02-30',
    '2026-02-29T00:00:00Z',
    '2026-13-01',
    '2026-01-01T25:00:00Z',
    '1767225600000',
    '2026-01-01Tnoon',
    '',
  ]) {
    expect(refusal(() => parseTime(bad)).message).toMatch(/is not a time; use unix seconds/);
  }
});

test('headers: Name: value lines; malformed and duplicate ones refused without echoing a value by default', () => {
  expect(parseHeaderLines(['Content-Type: text/plain', 'x-cos-meta-a:b: c', 'X-Empty:'])).toEqual({
    'Content-Type': 'text/plain',
    'x-cos-meta-a': 'b: c',
    'X-Empty': '',
  });
  const secretish = 'Authorization Bearer abc123secret';
  const e = refusal(() => parseHeaderLines(['ok: 1', secretish]));
  expect(e.message).toBe(
    'line 2 is not "Name: value"; write one header per line, e.g. "Content-Type: application/gzip"',
  );
  expect(refusal(() => parseHeaderLines([secretish], quoted)).message).toContain(JSON.stringify(secretish));
  expect(refusal(() => parseHeaderLines(['A: 1', 'a: 2'])).message).toBe('"a" is given twice; give each header once');
  expect(refusal(() => parseHeaderLines([': x'])).message).toMatch(/^line 1 is not/);
  expect(refusal(() => parseHeaderLines(['x\u001b[2J'], quoted)).message).not.toContain('\u001b');
});

test('params: name=value lines, a bare name is an empty value, duplicates refused', () => {
  expect(parseParamLines(['response-content-disposition=attachment; filename="a=b.txt"', 'versionId=', 'acl'])).toEqual(
    {
      'response-content-disposition': 'attachment; filename="a=b.txt"',
      versionId: '',
      acl: '',
    },
  );
  expect(refusal(() => parseParamLines(['=x'])).message).toMatch(/^line 1 has no name/);
  expect(refusal(() => parseParamLines(['a=1', 'a=2'])).message).toBe('"a" is given twice; give each parameter once');
});

/**
 * The progress status line as a pure function: accounting of engine events (retries, skipped
 * files, zero-byte files), rate and ETA from an injected clock, and a line that fits the width
 * and carries no control character whatever the keys hold.
 */
import fc from 'fast-check';
import {
  fitLeft,
  formatBytes,
  formatClock,
  ProgressState,
  statusLine,
  summaryLine,
  textWidth,
} from '../../src/cli/progress';

const MiB = 1024 * 1024;
/** Any raw control character a terminal would act on (the line has no newline either). */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function run(files: Array<[string, number]>, t0 = 1_000_000): ProgressState {
  return new ProgressState(
    files.map(([key, size]) => ({ key, size })),
    t0,
  );
}

describe('accounting', () => {
  test('a single PUT retried: its gauge starts again at 0, so bytes are not counted twice', () => {
    const s = run([['a', 10 * MiB]]);
    s.apply({ type: 'start', key: 'a', size: 10 * MiB }, 1_000_100);
    s.apply({ type: 'bytes', key: 'a', bytes: 6 * MiB }, 1_000_200);
    expect(s.bytesDone).toBe(6 * MiB);
    s.apply({ type: 'bytes', key: 'a', bytes: 0 }, 1_000_300); // the retry
    s.apply({ type: 'bytes', key: 'a', bytes: 4 * MiB }, 1_000_400);
    expect(s.bytesDone).toBe(4 * MiB);
    s.apply({ type: 'bytes', key: 'a', bytes: 10 * MiB }, 1_000_500);
    s.apply({ type: 'done', key: 'a', size: 10 * MiB, skipped: false }, 1_000_600);
    expect(s.bytesDone).toBe(10 * MiB);
    expect(s.percent()).toBe(100);
    expect(s.finished).toBe(true);
  });

  test('a gauge past the size (a file that grew) is held at the size; done counts the size once', () => {
    const s = run([['a', 100]]);
    s.apply({ type: 'start', key: 'a', size: 100 }, 1);
    s.apply({ type: 'bytes', key: 'a', bytes: 500 }, 2);
    expect(s.bytesDone).toBe(100);
    s.apply({ type: 'done', key: 'a', size: 100, skipped: false }, 3);
    s.apply({ type: 'bytes', key: 'a', bytes: 7 }, 4); // late news of a done file is ignored
    s.apply({ type: 'done', key: 'a', size: 100, skipped: false }, 5);
    expect([s.bytesDone, s.filesDone]).toEqual([100, 1]);
  });

  test('start corrects the size stat-ed before; skipped files leave the byte totals', () => {
    const s = run([
      ['a', 100],
      ['b', 50],
    ]);
    expect(s.totalBytes).toBe(150);
    s.apply({ type: 'start', key: 'a', size: 120 }, 1);
    expect(s.totalBytes).toBe(170);
    s.apply({ type: 'start', key: 'b', size: 50 }, 1);
    s.apply({ type: 'done', key: 'b', size: 50, skipped: true }, 2);
    expect([s.totalBytes, s.filesDone, s.skipped, s.inFlight()]).toEqual([120, 1, 1, ['a']]);
    expect(s.percent()).toBe(0);
  });

  test('zero-byte files: percent by files; 100 only when every file is done', () => {
    const s = run([
      ['x', 0],
      ['y', 0],
    ]);
    expect(s.percent()).toBe(0);
    s.apply({ type: 'start', key: 'x', size: 0 }, 1);
    s.apply({ type: 'done', key: 'x', size: 0, skipped: false }, 2);
    expect(s.percent()).toBe(50);
    s.apply({ type: 'start', key: 'y', size: 0 }, 2);
    s.apply({ type: 'done', key: 'y', size: 0, skipped: false }, 3);
    expect(s.percent()).toBe(100);
    const line = statusLine(s, 3, 80);
    expect(line).toMatch(/^100% \[#+\] 2\/2 files 0\/0 B /);
  });

  test('all bytes sent but the last file not yet done (multipart complete): 99 %, not 100', () => {
    const s = run([['a', 1000]]);
    s.apply({ type: 'start', key: 'a', size: 1000 }, 1);
    s.apply({ type: 'bytes', key: 'a', bytes: 1000 }, 2);
    expect(s.percent()).toBe(99);
    expect(s.eta(3)).toBe(0);
  });
});

describe('rate and ETA', () => {
  test('unknown in the first second, then over the last 5 s; a stall brings it to 0 and the ETA to unknown', () => {
    const t0 = 0;
    const s = run([['big', 100 * MiB]], t0);
    s.apply({ type: 'start', key: 'big', size: 100 * MiB }, t0);
    s.apply({ type: 'bytes', key: 'big', bytes: MiB }, 500);
    expect(s.rate(500)).toBeUndefined();
    expect(statusLine(s, 500, 100)).toContain('-- MiB/s ETA --:--');
    for (let i = 1; i <= 10; i++) s.apply({ type: 'bytes', key: 'big', bytes: (1 + 2 * i) * MiB }, 500 + i * 1000);
    // 2 MiB/s for the last 5 s; 79 MiB left -> 40 s.
    expect(s.rate(10_500)! / MiB).toBeCloseTo(2, 5);
    expect(s.eta(10_500)).toBeCloseTo(79 / 2, 5);
    expect(statusLine(s, 10_500, 100)).toMatch(/ 21\.0\/100\.0 MiB 2\.0 MiB\/s ETA 0:40 big$/);
    // Nothing for 6 s: the window holds no progress.
    expect(s.rate(16_500)).toBe(0);
    expect(s.eta(16_500)).toBeUndefined();
    expect(statusLine(s, 16_500, 100)).toContain('0.0 MiB/s ETA --:--');
  });

  test('a retry (the gauge going back) never makes the rate negative', () => {
    const s = run([['a', 50 * MiB]], 0);
    s.apply({ type: 'start', key: 'a', size: 50 * MiB }, 0);
    s.apply({ type: 'bytes', key: 'a', bytes: 40 * MiB }, 2000);
    s.apply({ type: 'bytes', key: 'a', bytes: 0 }, 6000);
    expect(s.rate(6000)).toBe(0);
  });

  test('clock formats', () => {
    expect([0, 5, 59.2, 61, 3599, 3600, 3723, 99 * 3600 + 59, 100 * 3600].map(formatClock)).toEqual([
      '0:00',
      '0:05',
      '1:00',
      '1:01',
      '59:59',
      '1:00:00',
      '1:02:03',
      '99:00:59',
      '>99h',
    ]);
    expect(formatBytes(512, 1000)).toBe('512/1000 B');
    expect(formatBytes(3 * MiB, 1024 ** 3 * 2)).toBe('0.0/2.0 GiB');
    expect(formatBytes(1536, 4096)).toBe('1.5/4.0 KiB');
  });
});

describe('the line', () => {
  function midway(key: string, more = 0): ProgressState {
    const files: Array<[string, number]> = [[key, 40 * MiB]];
    for (let i = 0; i < more + 2; i++) files.push([`other-${i}`, MiB]);
    const s = run(files, 0);
    s.apply({ type: 'start', key, size: 40 * MiB }, 0);
    for (let i = 0; i < more; i++) s.apply({ type: 'start', key: `other-${i}`, size: MiB }, 0);
    s.apply({ type: 'bytes', key, bytes: 12 * MiB }, 4000);
    return s;
  }

  test('the layout at 100 columns', () => {
    expect(statusLine(midway('dist/app.tar.gz', 2), 4000, 100)).toBe(
      ' 27% [#####---------------] 0/5 files 12.0/44.0 MiB 3.0 MiB/s ETA 0:11 dist/app.tar.gz +2',
    );
  });

  test('narrow terminals: no bar below 60 columns, the key cut from the left, the numbers cut last', () => {
    const s = midway('releases/v1.2.3/very/long/path/to/the/artifact.tar.gz', 1);
    const at = (c: number) => statusLine(s, 4000, c);
    expect(at(80)).toMatch(
      /^ 27% \[##--------\] 0\/4 files 12\.0\/43\.0 MiB 3\.0 MiB\/s ETA 0:11 \.\.\.\S*\.tar\.gz \+1$/,
    );
    expect(at(59)).not.toContain('[');
    expect(at(59)).toMatch(/ETA 0:\d\d \.\.\.\S*gz \+1$/);
    expect(at(50)).toBe(' 27% 0/4 files 12.0/43.0 MiB 3.0 MiB/s ETA 0:11');
    expect(at(20)).toBe(' 27% 0/4 files 12.0');
    for (const c of [1, 2, 20, 45, 59, 60, 61, 80, 200]) expect(at(c).length).toBeLessThanOrEqual(Math.max(1, c - 1));
    // Unknown width (not reported): 80.
    expect(statusLine(s, 4000, undefined)).toBe(at(80));
    expect(statusLine(s, 4000, 0)).toBe(at(80));
  });

  test.each([
    ['an OSC title sequence', 'a\u001b]0;evil\u0007b', 'a\\x1b]0;evil\\x07b'],
    ['a carriage return', 'x\rOK all done', 'x\\rOK all done'],
    ['a CSI in C1 form', 'c\u009b2Jd', 'c\\x9b2Jd'],
    ['a bidi override', 'gpj.\u202eexe', 'gpj.\\u202eexe'],
    ['a newline', 'one\ntwo', 'one\\ntwo'],
  ])('a key with %s is shown escaped, as one line', (_, key, shown) => {
    const line = statusLine(midway(key), 4000, 120);
    expect(line.endsWith(` ${shown}`)).toBe(true);
    expect(line).not.toMatch(RAW_CONTROL);
  });

  test('wide characters count two columns; the cut keeps whole characters', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('发布/版本.tar')).toBe(2 * 4 + 5);
    expect(textWidth('🚀x')).toBe(3);
    expect(textWidth('e\u0301')).toBe(2); // a combining mark errs high
    expect(fitLeft('发布版本说明.txt', 10)).toBe('...明.txt');
    expect(textWidth(fitLeft('发布版本说明.txt', 10))).toBeLessThanOrEqual(10);
    expect(fitLeft('short', 10)).toBe('short');
    expect(fitLeft('toolong', 2)).toBe('');
    const line = statusLine(midway('目录/很长的中文文件名称-很长的中文文件名称-很长的中文文件名称.bin'), 4000, 80);
    expect(textWidth(line)).toBeLessThanOrEqual(79);
    expect(line).toMatch(/\.\.\.[^ ]*称\.bin$/);
  });

  test('any key, any width: the line fits and has no raw control character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 0, max: 400 }),
        fc.nat({ max: 40 * MiB }),
        (key, columns, bytes) => {
          const s = run([[key, 40 * MiB]], 0);
          s.apply({ type: 'start', key, size: 40 * MiB }, 0);
          s.apply({ type: 'bytes', key, bytes }, 2000);
          const line = statusLine(s, 2000, columns);
          expect(textWidth(line)).toBeLessThanOrEqual(Math.max(1, (columns || 80) - 1));
          expect(line).not.toMatch(RAW_CONTROL);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('done: 100 %, the elapsed time instead of an ETA, and the closing line', () => {
    const s = run(
      [
        ['a', 3 * MiB],
        ['b', MiB],
      ],
      0,
    );
    s.apply({ type: 'start', key: 'a', size: 3 * MiB }, 0);
    s.apply({ type: 'start', key: 'b', size: MiB }, 0);
    s.apply({ type: 'done', key: 'b', size: MiB, skipped: true }, 100);
    s.apply({ type: 'done', key: 'a', size: 3 * MiB, skipped: false }, 2000);
    expect(statusLine(s, 2000, 80)).toBe('100% [##########] 2/2 files 3.0/3.0 MiB 1.5 MiB/s in 0:02');
    expect(summaryLine(s, 2000)).toBe('uploaded 1 file, 3.0 MiB in 0:02 (1.5 MiB/s); 1 unchanged, not sent');
  });
});

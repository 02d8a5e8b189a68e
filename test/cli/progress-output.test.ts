/**
 * The progress output on a stand-in terminal (isTTY, columns, write) with jest's clock: redraws
 * in place and throttled, log lines above the bar, the bar erased at the end (Ctrl-C: interrupt.test.ts);
 * plain lines (no `\r`, no escape sequence) when stderr is not a terminal, TERM=dumb or
 * --no-progress; nothing with --quiet.
 */
import { ProgressOutput, progressMode, ProgressMode } from '../../src/cli/progress-output';

const MiB = 1024 * 1024;

function terminal(isTTY = true, columns = 100) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (s: string) => writes.push(s), text: () => writes.join('') };
}

function output(mode: ProgressMode, t = terminal()) {
  const o = new ProgressOutput({
    mode,
    terminal: t,
    // As Io.note: prefixed, one line, on the same stream.
    note: (l) => t.write(`cos-presign: ${l}\n`),
    files: [
      { key: 'a.bin', size: 8 * MiB },
      { key: 'b.txt', size: 100 },
    ],
  });
  return { o, t };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000, doNotFake: ['queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

test('progressMode: a bar only on a terminal that is not dumb and without --no-progress; --quiet wins', () => {
  const tty = terminal(true);
  expect(progressMode({}, {}, tty)).toBe('bar');
  expect(progressMode({}, { NO_COLOR: '1' }, tty)).toBe('bar'); // the bar has no colour to drop
  expect(progressMode({}, { TERM: 'dumb' }, tty)).toBe('lines');
  expect(progressMode({ 'no-progress': true }, {}, tty)).toBe('lines');
  expect(progressMode({}, {}, terminal(false))).toBe('lines');
  expect(progressMode({}, {}, undefined)).toBe('lines');
  expect(progressMode({ quiet: true, 'no-progress': true }, {}, tty)).toBe('quiet');
});

test('bar: redrawn in place at most every 150 ms, log lines above it, erased at the end', () => {
  const { o, t } = output('bar');
  o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
  expect(t.writes).toHaveLength(1);
  expect(t.writes[0]).toMatch(/^\r {2}0% \[-+\] 0\/2 files 0\.0\/8\.0 MiB -- MiB\/s ETA --:-- a\.bin\x1b\[K$/);
  // A burst of events within 150 ms: one redraw when the time is up, with the latest state.
  for (let i = 1; i <= 20; i++) o.onProgress({ type: 'bytes', key: 'a.bin', bytes: i * 100_000 });
  expect(t.writes).toHaveLength(1);
  jest.advanceTimersByTime(150);
  expect(t.writes).toHaveLength(2);
  expect(t.writes[1]).toContain(' 1.9/8.0 MiB ');
  // The engine's 10 %-lines are what the bar shows: dropped. Other lines go above the bar.
  o.log('a.bin: 25% of 8 MiB (2.0 MiB/s)', 'progress');
  expect(t.writes).toHaveLength(2);
  o.log('retrying part 2 of 2 of a.bin (attempt 2 of 6): b got HTTP 503');
  expect(t.writes.slice(2)).toEqual([
    '\r\x1b[K',
    'cos-presign: retrying part 2 of 2 of a.bin (attempt 2 of 6): b got HTTP 503\n',
  ]);
  return Promise.resolve().then(() => {
    // Redrawn once the engine's call has returned.
    expect(t.writes).toHaveLength(5);
    expect(t.writes[4]).toMatch(/^\r.* a\.bin\x1b\[K$/);
    // With no news, the bar still moves on every second (rate, ETA).
    jest.advanceTimersByTime(1000);
    expect(t.writes).toHaveLength(6);
    expect(t.writes[5]).toMatch(/MiB\/s ETA \d+:\d\d a\.bin/);
    o.onProgress({ type: 'done', key: 'a.bin', size: 8 * MiB, skipped: false });
    o.onProgress({ type: 'start', key: 'b.txt', size: 100 });
    o.onProgress({ type: 'done', key: 'b.txt', size: 100, skipped: false });
    jest.advanceTimersByTime(150);
    o.finish(true);
    const tail = t.text().slice(t.text().lastIndexOf('\x1b[K') + 3);
    expect(tail).toMatch(/^cos-presign: uploaded 2 files, 8\.0 MiB in 0:0\d \(\d+\.\d MiB\/s\)\n$/);
    expect(t.text().endsWith('\n')).toBe(true);
    // Finished: no timer draws again.
    const n = t.writes.length;
    jest.advanceTimersByTime(5000);
    expect(t.writes).toHaveLength(n);
    o.log('checked 2 links (GET bytes=0-0)');
    expect(t.writes[n]).toBe('cos-presign: checked 2 links (GET bytes=0-0)\n');
  });
});

test('bar: an unchanged line is not written again', () => {
  const { o, t } = output('bar');
  o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
  jest.advanceTimersByTime(200);
  o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
  expect(t.writes).toHaveLength(1);
  o.finish(false);
});

test('bar: a failed run erases the bar and prints no closing line', async () => {
  const { o, t } = output('bar');
  await expect(
    o.run(async () => {
      o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
      throw new Error('a.bin: upload was refused');
    }),
  ).rejects.toThrow('refused');
  expect(t.text().endsWith('\r\x1b[K')).toBe(true);
  expect(t.text()).not.toContain('uploaded');
});

test('lines: every log line as it comes, the 10 %-lines too, then the closing line; no \\r, no escape sequence', async () => {
  const { o, t } = output('lines', terminal(false));
  await o.run(async () => {
    o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
    o.onProgress({ type: 'bytes', key: 'a.bin', bytes: 4 * MiB });
    o.log('a.bin: 50% of 8 MiB (4.0 MiB/s)', 'progress');
    o.onProgress({ type: 'done', key: 'a.bin', size: 8 * MiB, skipped: false });
    o.log('stored a.bin (8 MiB in 2 parts, 4.0 MiB/s)');
    jest.advanceTimersByTime(2000);
    o.onProgress({ type: 'start', key: 'b.txt', size: 100 });
    o.onProgress({ type: 'done', key: 'b.txt', size: 100, skipped: true });
    o.log('unchanged b.txt (100 B), not sent again');
  });
  expect(t.text()).toBe(
    [
      'cos-presign: a.bin: 50% of 8 MiB (4.0 MiB/s)',
      'cos-presign: stored a.bin (8 MiB in 2 parts, 4.0 MiB/s)',
      'cos-presign: unchanged b.txt (100 B), not sent again',
      'cos-presign: uploaded 1 file, 8.0 MiB in 0:02 (4.0 MiB/s); 1 unchanged, not sent',
      '',
    ].join('\n'),
  );
});

test('quiet: nothing at all', async () => {
  const { o, t } = output('quiet');
  await o.run(async () => {
    o.onProgress({ type: 'start', key: 'a.bin', size: 8 * MiB });
    o.log('stored a.bin (8 MiB in 2 parts, 4.0 MiB/s)');
    jest.advanceTimersByTime(3000);
  });
  o.log('checked 2 links (GET bytes=0-0)');
  expect(t.writes).toEqual([]);
});

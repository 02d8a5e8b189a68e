/**
 * The progress status line of `cos-presign upload` and `put` on a terminal, as pure functions of
 * what the engine reported and the time: files and bytes done, rate, ETA and the file in flight,
 * fitted to the terminal's width. Keys are untrusted: control characters are shown escaped and
 * the width is counted in terminal columns (wide characters count two), so the line never wraps
 * and never acts on the terminal. Drawing, throttling and signals are in progress-output.ts.
 */
import { escapeControls } from '../shared/text';
import type { ProgressEvent } from '../transfer/types';

/** The rate is measured over this window, so it follows the current speed. */
const RATE_WINDOW_MS = 5_000;
/** Before this much time has passed there is no rate (or ETA) worth showing. */
const MIN_RATE_MS = 1_000;
const SAMPLE_MS = 100;
const MiB = 1024 * 1024;

interface FileState {
  size: number;
  bytes: number;
  done: boolean;
}

/** What is known about a run: updated by `apply`, read by `statusLine` and `summaryLine`. */
export class ProgressState {
  totalFiles = 0;
  filesDone = 0;
  /** Files skip-unchanged found stored already (not sent, their bytes left out of the totals). */
  skipped = 0;
  /** Bytes to send. */
  totalBytes = 0;
  /** Bytes sent, as best known (see ProgressEvent). */
  bytesDone = 0;
  private readonly files = new Map<string, FileState>();
  /** Keys started and not done, oldest first. */
  private readonly active: string[] = [];
  /** (time, bytesDone) of the last RATE_WINDOW_MS and one before it. */
  private readonly samples: Array<{ t: number; bytes: number }>;

  /** `files`: every key the run will upload with its size as stat'ed before (corrected on start). */
  constructor(
    files: ReadonlyArray<{ key: string; size: number }>,
    readonly startedAt: number,
  ) {
    for (const f of files) this.file(f.key, f.size);
    this.samples = [{ t: startedAt, bytes: 0 }];
  }

  private file(key: string, size: number): FileState {
    let f = this.files.get(key);
    if (!f) {
      f = { size, bytes: 0, done: false };
      this.files.set(key, f);
      this.totalFiles++;
      this.totalBytes += size;
    }
    return f;
  }

  get finished(): boolean {
    return this.filesDone >= this.totalFiles;
  }

  /** Keys in flight, oldest first. */
  inFlight(): readonly string[] {
    return this.active;
  }

  apply(e: ProgressEvent, now: number): void {
    const f = this.file(e.key, e.type === 'bytes' ? 0 : e.size);
    if (f.done) return;
    if (e.type === 'start') {
      this.totalBytes += e.size - f.size;
      f.size = e.size;
      if (!this.active.includes(e.key)) this.active.push(e.key);
    } else if (e.type === 'bytes') {
      const b = Math.min(Math.max(e.bytes, 0), f.size);
      this.bytesDone += b - f.bytes;
      f.bytes = b;
    } else {
      f.done = true;
      this.filesDone++;
      const i = this.active.indexOf(e.key);
      if (i >= 0) this.active.splice(i, 1);
      if (e.skipped) {
        this.skipped++;
        this.totalBytes -= f.size;
        this.bytesDone -= f.bytes;
        f.bytes = 0;
      } else {
        this.bytesDone += f.size - f.bytes;
        f.bytes = f.size;
      }
    }
    const last = this.samples[this.samples.length - 1];
    // One sample per SAMPLE_MS at most (a few dozen in the window); the first, the run's start at
    // 0 bytes, is never overwritten.
    if (now - last.t < SAMPLE_MS && this.samples.length > 1) last.bytes = this.bytesDone;
    else this.samples.push({ t: now, bytes: this.bytesDone });
    while (this.samples.length > 2 && this.samples[1].t <= now - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Bytes per second over the last few seconds; undefined in the first second. */
  rate(now: number): number | undefined {
    if (now - this.startedAt < MIN_RATE_MS) return undefined;
    let base = this.samples[0];
    for (const s of this.samples) {
      if (s.t > now - RATE_WINDOW_MS) break;
      base = s;
    }
    if (now <= base.t) return undefined;
    return Math.max(0, ((this.bytesDone - base.bytes) / (now - base.t)) * 1000);
  }

  /** Seconds left at the current rate; undefined while the rate is unknown or zero. */
  eta(now: number): number | undefined {
    if (this.finished) return 0;
    const left = Math.max(0, this.totalBytes - this.bytesDone);
    if (left === 0) return 0;
    const r = this.rate(now);
    return r ? left / r : undefined;
  }

  /** Whole percent done (by bytes; by files when there are no bytes to send); 100 only when all are done. */
  percent(): number {
    const p =
      this.totalBytes > 0
        ? Math.floor((this.bytesDone / this.totalBytes) * 100)
        : Math.floor((this.filesDone / Math.max(this.totalFiles, 1)) * 100);
    return this.finished ? 100 : Math.min(p, 99);
  }
}

/** Whether a code point takes two columns (East Asian wide and fullwidth forms, emoji). */
function wide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x231a && cp <= 0x231b) ||
    (cp >= 0x2329 && cp <= 0x232a) ||
    (cp >= 0x23e9 && cp <= 0x23f3) ||
    (cp >= 0x25fd && cp <= 0x25fe) ||
    (cp >= 0x2614 && cp <= 0x2615) ||
    (cp >= 0x2648 && cp <= 0x2653) ||
    (cp >= 0x267f && cp <= 0x26ff) ||
    (cp >= 0x2705 && cp <= 0x27bf) ||
    (cp >= 0x2b1b && cp <= 0x2b55) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x16fe0 && cp <= 0x1b2ff) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Columns `s` takes on a terminal, erring high: wide characters count two, and everything else,
 * combining marks included, one (a line counted too wide is only cut shorter; too narrow, it
 * would wrap and the next redraw would leave a line behind).
 */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += wide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

/** `s` cut to `columns` from the left (`...` in front), keeping its end: the file name of a path. */
export function fitLeft(s: string, columns: number): string {
  if (textWidth(s) <= columns) return s;
  if (columns < 3) return '';
  const chars = [...s];
  let w = 3;
  let i = chars.length;
  while (i > 0 && w + textWidth(chars[i - 1]) <= columns) w += textWidth(chars[--i]);
  return '...' + chars.slice(i).join('');
}

const UNITS: Array<[string, number]> = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', MiB],
  ['KiB', 1024],
];

function unitFor(total: number): [string, number] {
  return UNITS.find(([, size]) => total >= size) ?? ['B', 1];
}

/** `12.0/40.0 MiB`: both in the unit of the total. */
export function formatBytes(done: number, total: number): string {
  const [unit, size] = unitFor(total);
  if (size === 1) return `${done}/${total} B`;
  return `${(done / size).toFixed(1)}/${(total / size).toFixed(1)} ${unit}`;
}

function formatAmount(n: number): string {
  const [unit, size] = unitFor(n);
  return size === 1 ? `${n} B` : `${(n / size).toFixed(1)} ${unit}`;
}

/** `0:05`, `12:34`, `1:02:03`; `>99h` beyond. */
export function formatClock(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s >= 100 * 3600) return '>99h';
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

function formatRate(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? '-- MiB/s' : `${(bytesPerSecond / MiB).toFixed(1)} MiB/s`;
}

/** The key in flight (the oldest), escaped, and how many more are. */
function inFlight(s: ProgressState): { name: string; more: string } {
  const keys = s.inFlight();
  if (keys.length === 0) return { name: '', more: '' };
  return { name: escapeControls(keys[0]), more: keys.length > 1 ? ` +${keys.length - 1}` : '' };
}

/**
 * The status line for a terminal `columns` wide (80 when unknown), at most `columns - 1` wide so
 * it never reaches the last column (where some terminals wrap):
 * ` 42% [########------------] 3/10 files 12.0/40.0 MiB 5.2 MiB/s ETA 0:05 dist/app.tar.gz +2`.
 * The key in flight gets the room left (cut from the left); the bar is left out below 60 columns
 * or when the numbers need its room; the numbers are cut last.
 */
export function statusLine(s: ProgressState, now: number, columns?: number): string {
  const width = Math.max(1, (columns && columns > 0 ? columns : 80) - 1);
  const pct = `${String(s.percent()).padStart(3)}%`;
  const eta = s.eta(now);
  const tail = [
    `${s.filesDone}/${s.totalFiles} files`,
    formatBytes(s.bytesDone, s.totalBytes),
    formatRate(s.rate(now)),
    s.finished
      ? `in ${formatClock((now - s.startedAt) / 1000)}`
      : `ETA ${eta === undefined ? '--:--' : formatClock(eta)}`,
  ].join(' ');
  const stats = `${pct} ${tail}`;
  if (stats.length >= width) return stats.slice(0, width);
  const { name, more } = inFlight(s);
  // The bar's width follows the terminal's only, so it does not jump as numbers and names change.
  const barInner = width < 60 ? 0 : Math.min(30, Math.max(10, Math.floor((width - 59) / 2)));
  let line = stats;
  if (barInner > 0 && stats.length + barInner + 3 <= width) {
    const filled = Math.floor((barInner * s.percent()) / 100);
    line = `${pct} [${'#'.repeat(filled)}${'-'.repeat(barInner - filled)}] ${tail}`;
  }
  const room = width - line.length - 1 - textWidth(more);
  if (name && room >= 4) line += ` ${fitLeft(name, room)}${more}`;
  return line;
}

/** The closing line: `uploaded 10 files, 40.0 MiB in 0:08 (4.9 MiB/s); 2 unchanged, not sent`. */
export function summaryLine(s: ProgressState, now: number): string {
  const ms = Math.max(now - s.startedAt, 1);
  const sent = s.filesDone - s.skipped;
  const line = `uploaded ${sent} file${sent === 1 ? '' : 's'}, ${formatAmount(s.bytesDone)} in ${formatClock(ms / 1000)} (${formatRate((s.bytesDone / ms) * 1000)})`;
  return s.skipped ? `${line}; ${s.skipped} unchanged, not sent` : line;
}

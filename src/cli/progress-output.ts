/**
 * Progress on stderr for `upload` and `put`. On a terminal: one status line (progress.ts) redrawn
 * in place with `\r` and erase-to-end-of-line, at most every REDRAW_MS and at least every second;
 * log lines are printed above it; at the end (or on Ctrl-C, see interrupt.ts) it is erased, so the last output is a
 * plain line. Elsewhere (CI logs, pipes, TERM=dumb, --no-progress): the engine's lines only, no
 * `\r`, no escape sequence. `--quiet`: nothing but warnings and errors.
 *
 * No colour, cursor hiding or other terminal mode is used, so there is nothing to restore.
 */
import * as fs from 'node:fs';
import type { LogFn, ProgressEvent } from '../transfer/types';
import type { Terminal } from './io';
import { ProgressState, statusLine, summaryLine } from './progress';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** Least time between two redraws of the bar. */
const REDRAW_MS = 150;
/** The bar is redrawn this often with no news too (rate and ETA move on). */
const TICK_MS = 1_000;
const ERASE = '\r\x1b[K';

/** `--quiet`, else a bar when stderr is a terminal that can take one, else plain lines. */
export function progressMode(
  flags: { quiet?: boolean; 'no-progress'?: boolean },
  env: NodeJS.ProcessEnv,
  terminal: Terminal | undefined,
): ProgressMode {
  if (flags.quiet) return 'quiet';
  if (flags['no-progress'] || !terminal?.isTTY || env.TERM === 'dumb') return 'lines';
  return 'bar';
}

/** Each file's size as it is now (0 when unreadable: the engine names that failure). */
export function sizesOf(items: ReadonlyArray<{ key: string; file: string }>): Array<{ key: string; size: number }> {
  return items.map((it) => {
    try {
      return { key: it.key, size: fs.statSync(it.file).size };
    } catch {
      return { key: it.key, size: 0 };
    }
  });
}

export interface ProgressOutputOptions {
  mode: ProgressMode;
  /** Where the bar is drawn: the stream `note` writes to. */
  terminal?: Terminal;
  /** Prints one log line (escaped and prefixed, as Io.note does). */
  note: (line: string) => void;
  files: ReadonlyArray<{ key: string; size: number }>;
  now?: () => number;
}

export class ProgressOutput {
  /** The engine's `log`. */
  readonly log: LogFn;
  /** The engine's `onProgress`. */
  readonly onProgress: (e: ProgressEvent) => void;
  private readonly state: ProgressState;
  private readonly now: () => number;
  private shown = false;
  private redraw = false;
  private lastLine = '';
  private finished = false;
  private lastDraw = -Infinity;
  private pending?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;

  constructor(private readonly o: ProgressOutputOptions) {
    this.now = o.now ?? Date.now;
    this.state = new ProgressState(o.files, this.now());
    this.onProgress = (e) => {
      this.state.apply(e, this.now());
      if (this.bar) this.schedule();
    };
    this.log = (line, kind) => {
      if (o.mode === 'quiet') return;
      if (!this.bar) return o.note(line);
      if (kind === 'progress') return; // the bar shows it
      this.erase();
      o.note(line);
      // Redrawn once the engine's call returns: a "stored" line comes just before its file's done event.
      if (!this.redraw) {
        this.redraw = true;
        queueMicrotask(() => {
          this.redraw = false;
          this.draw();
        });
      }
    };
    if (this.bar) {
      this.ticker = setInterval(() => this.draw(), TICK_MS).unref();
    }
  }

  private get bar(): boolean {
    return this.o.mode === 'bar' && !this.finished && this.o.terminal !== undefined;
  }

  private schedule(): void {
    if (this.pending) return;
    const wait = this.lastDraw + REDRAW_MS - this.now();
    if (wait <= 0) return this.draw();
    this.pending = setTimeout(() => this.draw(), wait).unref();
  }

  private draw(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (!this.bar) return;
    const t = this.now();
    const line = statusLine(this.state, t, this.o.terminal!.columns);
    this.lastDraw = t;
    if (this.shown && line === this.lastLine) return;
    this.o.terminal!.write(`\r${line}\x1b[K`);
    this.shown = true;
    this.lastLine = line;
  }

  private erase(): void {
    if (this.shown) this.o.terminal!.write(ERASE);
    this.shown = false;
  }

  /** Erases the bar and stops redrawing; when `ok`, prints the closing line. Safe to call twice. */
  finish(ok: boolean): void {
    if (this.finished) return;
    if (this.o.mode === 'bar') this.erase();
    this.finished = true;
    if (this.pending) clearTimeout(this.pending);
    if (this.ticker) clearInterval(this.ticker);
    if (ok && this.o.mode !== 'quiet') this.o.note(summaryLine(this.state, this.now()));
  }

  /** Runs the transfer with this output, and finishes it whatever the outcome. */
  async run<T>(transfer: () => Promise<T>): Promise<T> {
    try {
      const r = await transfer();
      this.finish(true);
      return r;
    } finally {
      this.finish(false);
    }
  }
}

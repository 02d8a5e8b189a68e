import { escapeControls } from '../shared/text';

/** What a progress bar needs of stderr (process.stderr fits). */
export interface Terminal {
  isTTY?: boolean;
  /** Width in columns, when stderr is a terminal. */
  columns?: number;
  write(text: string): unknown;
}

/** Where a command writes, and what it reads from the environment; one object so commands stay testable. */
export interface Io {
  env: NodeJS.ProcessEnv;
  /** Standard output: the result (URL, JSON, report). */
  out(text: string): void;
  /** One line on stderr, prefixed `warning:`; control characters are shown escaped. */
  warn(line: string): void;
  /** One line on stderr, for a person reading along; control characters are shown escaped. */
  note(line: string): void;
  /** Standard error as a stream, for the progress bar of upload and put (drawn only on a terminal). */
  terminal?: Terminal;
}

export function processIo(): Io {
  return {
    env: process.env,
    out: (text) => void process.stdout.write(text),
    // Lines carry keys, hosts and option values: one line each, nothing that acts on the terminal.
    warn: (line) => void process.stderr.write(`cos-presign: warning: ${escapeControls(line)}\n`),
    note: (line) => void process.stderr.write(`cos-presign: ${escapeControls(line)}\n`),
    terminal: process.stderr,
  };
}

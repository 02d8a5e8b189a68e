/** Where a command writes, and what it reads from the environment; one object so commands stay testable. */
export interface Io {
  env: NodeJS.ProcessEnv;
  /** Standard output: the result (URL, JSON, report). */
  out(text: string): void;
  /** One line on stderr, prefixed `warning:`. */
  warn(line: string): void;
  /** One line on stderr, for a person reading along. */
  note(line: string): void;
}

export function processIo(): Io {
  return {
    env: process.env,
    out: (text) => void process.stdout.write(text),
    warn: (line) => void process.stderr.write(`cos-presign: warning: ${line}\n`),
    note: (line) => void process.stderr.write(`cos-presign: ${line}\n`),
  };
}

/**
 * `cos-presign put`: the consumer side, with no credentials. Uploads files through URLs presigned
 * elsewhere (the action's `requests` output or `requests-file`, or one URL), with the engine's
 * retries and checks: the file must be the one the URL pins (Content-Length, Content-MD5), and
 * the stored object's checksum is compared as for `upload`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectUrl } from '../core/inspect';
import { closeAgent } from '../transfer/http';
import { PremadeEntry, premadeEntries, premadeEntry, putPremade } from '../transfer/premade';
import { TransferError, UploadedObject } from '../transfer/types';
import type { Io } from './io';
import { interruptible, stopping } from './interrupt';
import { ProgressOutput, progressMode, sizesOf } from './progress-output';
import { parseCommandLine, parseHeaders, UsageError } from './options';

export const PUT_HELP = `Usage: cos-presign put <requests.json> [options]
       cos-presign put <url> <file> [-H 'Name: value']... [options]

Uploads files through presigned PUT URLs made elsewhere; needs no credentials. <requests.json> is
the action's "requests" output (or the file named by "requests-file"): an object of
key -> {url, method, headers, file}. Each entry's file is sent with its headers, with retries,
and checked: the file must be the one the URL was signed for (its Content-Length/Content-MD5),
and the stored object's CRC-64 (COS, TOS) or ETag (S3) must match the file.

Options:
      --base-dir <dir>          where the entries' "file" paths are (default: current directory)
  -H, --header 'Name: value'    with <url> <file>: a header the URL pins (repeatable)
      --concurrency <n>         uploads in flight (default 4)
      --retries <n>             retries per request (default 5)
      --json                    print {key: {file, size, etag, checksum}} when done
      --no-progress             no progress bar: the plain lines a log gets (the bar is drawn
                                only when stderr is a terminal and TERM is not dumb)
  -q, --quiet                   no progress at all; warnings and errors only

Exit code: 0 all stored; 1 an upload failed (the message names the key); 2 usage error.
`;

const OPTIONS = {
  'base-dir': { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readRequests(file: string, baseDir: string): PremadeEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      '<requests.json>',
      `cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(
      '<requests.json>',
      `${JSON.stringify(file)} is not JSON; pass the action's requests output (key -> {url, method, headers, file})`,
    );
  }
  return asUsage('<requests.json>', () => premadeEntries(json, baseDir));
}

function asUsage<T>(option: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(option, (e as Error).message);
  }
}

function count(v: string | undefined, option: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^\d{1,4}$/.test(v) || Number(v) < min)
    throw new UsageError(option, `${JSON.stringify(v)} is not a whole number of at least ${min}`);
  return Number(v);
}

export async function putCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandLine(args, OPTIONS);
  if (v.help) return (io.out(PUT_HELP), 0);
  const baseDir = v['base-dir'] ?? '.';
  let entries: PremadeEntry[];
  if (positionals.length === 1) {
    if (v.header) throw new UsageError('--header', 'goes with put <url> <file>; a requests file carries its headers');
    entries = readRequests(positionals[0], baseDir);
  } else if (positionals.length === 2) {
    const info = (() => {
      try {
        return inspectUrl(positionals[0]);
      } catch {
        return undefined;
      }
    })();
    const key = info?.key ?? path.basename(positionals[1]);
    entries = [
      asUsage('<url>', () =>
        premadeEntry(
          key,
          { url: positionals[0], method: 'PUT', headers: parseHeaders(v.header), file: positionals[1] },
          baseDir,
        ),
      ),
    ];
  } else {
    throw new UsageError('', 'put takes <requests.json>, or <url> <file>; see --help');
  }
  const concurrency = count(v.concurrency, '--concurrency', 4, 1);
  const retries = count(v.retries, '--retries', 5, 0);
  const progress = new ProgressOutput({
    mode: progressMode(v, io.env, io.terminal),
    terminal: io.terminal,
    note: (l) => io.note(l),
    files: sizesOf(entries),
  });
  let done: UploadedObject[];
  try {
    done = await interruptible(
      (signal) =>
        progress.run(() =>
          putPremade(entries, { concurrency, retries, log: progress.log, onProgress: progress.onProgress, signal }),
        ),
      { onInterrupt: () => stopping(progress, io), onStopped: (e) => io.note(failureText(e)) },
    );
  } catch (e) {
    throw e instanceof TransferError ? new Error(failureText(e)) : e;
  } finally {
    await closeAgent();
  }
  if (v.json)
    io.out(
      JSON.stringify(
        Object.fromEntries(
          done.map((u) => [u.key, { file: u.file, size: u.size, etag: u.etag, checksum: u.checksum }]),
        ),
        null,
        2,
      ) + '\n',
    );
  return 0;
}

/** A failed or interrupted run: the key, file and reason, and what is stored already. */
function failureText(e: unknown): string {
  if (!(e instanceof TransferError)) return e instanceof Error ? e.message : String(e);
  return `key ${JSON.stringify(e.key)}: ${e.message}${e.stored.length ? `; already stored: ${e.stored.join(', ')}` : ''}`;
}

/**
 * The `cos-presign` command: picks the subcommand, runs it, and turns every failure into one
 * line on stderr and an exit code (0 success, 2 usage error, 1 anything else).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CREDENTIAL_ENV } from '../core/credentials';
import { isPresignError } from '../core/errors';
import { demoCommand } from './demo';
import { MAIN_HELP } from './help';
import { inspectCommand } from './inspect';
import { Io, processIo } from './io';
import { withOidcCredentials } from './oidc';
import { presignErrorToUsage, UsageError } from './options';
import { policyCommand } from './policy';
import { escapeControls } from '../shared/text';
import { quote } from '../shared/values';
import { authCommand, urlCommand } from './sign';

const COMMANDS: Record<string, (args: string[], io: Io) => number | Promise<number>> = {
  url: urlCommand,
  auth: authCommand,
  inspect: inspectCommand,
  demo: demoCommand,
  policy: policyCommand,
  // Loaded on use: the transfer engine (undici, p-retry, crc64) is not needed to sign a URL.
  upload: async (args, io) => (await import('./upload')).uploadCommand(args, io),
  put: async (args, io) => (await import('./put')).putCommand(args, io),
};

/** Secret values this run could know: flag values and credential variables. Masked in any error text. */
function secretsOf(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(secret-key|security-token)(?:=(.*))?$/.exec(argv[i]);
    if (m) out.push(m[2] ?? argv[i + 1] ?? '');
  }
  for (const families of Object.values(CREDENTIAL_ENV)) {
    for (const f of families) out.push(env[f.key] ?? '', ...f.tokens.map((n) => env[n] ?? ''));
  }
  return out.filter((s) => s.length >= 4);
}

function mask(text: string, secrets: string[]): string {
  let t = text;
  for (const s of secrets) t = t.split(s).join('***');
  return t;
}

function version(): string {
  try {
    // lib/src/cli/main.js -> package.json at the package root.
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const prefix = command && COMMANDS[command] ? `cos-presign ${command}` : 'cos-presign';
  const fail = (line: string, code: number): number => {
    // Escaped, not cut at a newline: the message quotes keys and options, which may hold anything.
    process.stderr.write(`${prefix}: ${escapeControls(mask(line, secretsOf(argv, io.env)))}\n`);
    return code;
  };
  try {
    if (command === undefined) {
      process.stderr.write(MAIN_HELP);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') return (io.out(MAIN_HELP), 0);
    if (command === '--version' || command === '-v') return (io.out(version() + '\n'), 0);
    const run = COMMANDS[command];
    if (!run)
      throw new UsageError(
        '',
        `unknown command ${quote(command)}; use url, auth, policy, inspect, upload, put or demo (cos-presign --help)`,
      );
    // No stored secret: the SDKs' OIDC token-file variables become temporary credentials first.
    const prepared = await withOidcCredentials(command, rest, io);
    io = prepared.io;
    return await run(prepared.args, io);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, 2);
    if (isPresignError(e)) return fail(presignErrorToUsage(e).message, 2);
    return fail(e instanceof Error ? e.message : String(e), 1);
  }
}

/** Entry point of bin/cos-presign.js. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`cos-presign: ${escapeControls(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) run();

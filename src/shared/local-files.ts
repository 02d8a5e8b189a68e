/**
 * Local files named by user patterns (the action's `files`, later `base-dir` and the CLI's
 * uploads) are only signed or read when they really are regular files inside the allowed
 * folders: a symbolic link is judged by where it resolves to, never by its name.
 */
import { constants, promises as fsp, Stats } from 'node:fs';
import * as path from 'node:path';
import { quote } from './values';

/** A folder that every file must lie in, with the name of the input that set it. */
export interface Root {
  /** `GITHUB_WORKSPACE`, `base-dir`… as the user would recognise it. */
  name: string;
  /** Absolute real path (symbolic links resolved): compare real paths with real paths. */
  dir: string;
}

/** Whether `realPath` lies inside `dir` (both real, absolute paths). */
export function isInside(realPath: string, dir: string): boolean {
  const rel = path.relative(dir, realPath);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
}

/** The first root `realPath` is not inside, or undefined when it is inside all of them. */
export function outsideRoot(realPath: string, roots: readonly Root[]): Root | undefined {
  return roots.find((r) => !isInside(realPath, r.dir));
}

/** Roots with their folders resolved to real paths (a workspace under a symlinked /tmp stays comparable). */
export async function realRoots(roots: ReadonlyArray<{ name: string; dir: string }>): Promise<Root[]> {
  return Promise.all(roots.map(async (r) => ({ name: r.name, dir: await fsp.realpath(path.resolve(r.dir)) })));
}

export type FileCheck = { ok: true; real: string; size: number } | { ok: false; problem: string };

function kind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Resolves `file` (absolute) with realpath and checks that the target lies inside every root
 * and is a regular file. Never opens the file, so a FIFO or a device cannot block the caller.
 * `problem` describes the refusal without naming the input (the caller does).
 */
export async function checkLocalFile(file: string, roots: readonly Root[]): Promise<FileCheck> {
  let real: string;
  try {
    real = await fsp.realpath(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problem:
        code === 'ENOENT'
          ? 'is a symbolic link to nothing (its target does not exist)'
          : `cannot be resolved (${code ?? 'error'})`,
    };
  }
  const outside = outsideRoot(real, roots);
  if (outside) {
    const via = real !== file ? `resolves (through a symbolic link) to ${quote(real)}, which is` : 'is';
    return {
      ok: false,
      problem: `${via} outside ${outside.name} (${quote(outside.dir)}); only files inside it are signed`,
    };
  }
  const st = await fsp.stat(real);
  if (!st.isFile())
    return {
      ok: false,
      problem: `is ${kind(st)}${real !== file ? ` (through a symbolic link, ${quote(real)})` : ''}; only regular files are signed`,
    };
  return { ok: true, real, size: st.size };
}

/**
 * Opens a checked file for reading without following a symbolic link swapped in since the
 * check and without blocking on a FIFO swapped in, and confirms it is still a regular file.
 */
export async function openRegularFile(real: string): Promise<{ handle: fsp.FileHandle; size: number }> {
  const handle = await fsp.open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error(`${real} is no longer a regular file`);
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

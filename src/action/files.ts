/**
 * Local files behind the `files` input: which files the patterns name (only regular files
 * whose real path lies inside the workspace; never `.git/` unless a pattern names it), their
 * keys (the path relative to the workspace), and for PUT the size, MD5 and type that get
 * pinned into each upload URL's signature.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { checkLocalFile, openRegularFile, Root } from '../shared/local-files';
import { quote } from '../shared/values';
import { InputError } from './inputs';

/** Extension → Content-Type for common release artifacts; anything else is octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.bz2': 'application/x-bzip2',
  '.xz': 'application/x-xz',
  '.zst': 'application/zstd',
  '.7z': 'application/x-7z-compressed',
  '.jar': 'application/java-archive',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.apk': 'application/vnd.android.package-archive',
  '.dmg': 'application/x-apple-diskimage',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface LocalFile {
  /** Real path (symbolic links resolved, checked to be a regular file inside every root). */
  absolute: string;
  /** Path relative to the workspace with `/` separators, as matched: the key (before key-prefix). */
  relative: string;
}

/** Whether a path (or pattern) has a `.git` segment: where actions/checkout keeps the token. */
function namesGit(p: string): boolean {
  return p.split(/[\\/]/).includes('.git');
}

/** Whether the literal part of an absolute pattern (up to its first wildcard) lies in the workspace. */
function insideWorkspace(pattern: string, workspace: string): boolean {
  const literal = pattern.slice(0, pattern.search(/[*?[{]|$/));
  const rel = path.relative(workspace, path.resolve(literal));
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/**
 * Patterns that cannot name a file of the workspace are refused before matching: `..`
 * segments, `~` (which @actions/glob expands to the home folder) and absolute paths elsewhere.
 */
function checkPattern(p: string, workspace: string): void {
  const body = p.startsWith('!') ? p.slice(1) : p;
  const why = body.split(/[\\/]/).includes('..')
    ? 'goes up out of the workspace with ".."'
    : body.startsWith('~')
      ? 'starts with "~" (the home folder)'
      : path.isAbsolute(body) && !insideWorkspace(body, workspace)
        ? 'is an absolute path outside the workspace'
        : undefined;
  if (why)
    throw new InputError(
      'files',
      `pattern ${quote(p)} ${why}; patterns are relative to the workspace (${quote(workspace)}), so name files inside it, e.g. dist/*`,
    );
}

export interface MatchedFiles {
  files: LocalFile[];
  /** Positive patterns that matched nothing. */
  unmatched: string[];
  warnings: string[];
}

const CHECKS_AT_ONCE = 16;

/**
 * Matches one pattern (with the exclusions after it, one per line) to paths. In the action it
 * is @actions/glob with `followSymbolicLinks: false` (plan.ts), so that a symbolic link to a
 * folder is matched as itself and refused, and matching never walks outside the workspace.
 */
export type Globber = (patterns: string) => Promise<string[]>;

/**
 * Matches each `files` pattern on its own (so one matching nothing can be named), without
 * following symbolic links into folders, then resolves every match and refuses it unless it is
 * a regular file inside every root (the workspace first; the upload mode adds base-dir).
 */
export async function matchFiles(
  patterns: string[],
  workspace: string,
  roots: readonly Root[],
  glob: Globber,
): Promise<MatchedFiles> {
  for (const p of patterns) checkPattern(p, workspace);
  const negatives = patterns.filter((p) => p.startsWith('!'));
  const positives = patterns.filter((p) => !p.startsWith('!') && !p.startsWith('#'));
  if (positives.length === 0)
    throw new InputError(
      'files',
      'has only exclusions (!…) or comments; add a glob that matches the files to sign, e.g. dist/*',
    );
  const gitAllowed = positives.some(namesGit);

  const found = new Map<string, string>();
  const unmatched: string[] = [];
  for (const p of positives) {
    const matches = await glob([p, ...negatives].join('\n'));
    if (matches.length === 0) unmatched.push(p);
    for (const m of matches) {
      const absolute = path.resolve(workspace, m);
      const rel = path.relative(workspace, absolute);
      if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
        throw new InputError(
          'files',
          `${quote(m)} is outside the workspace (${quote(workspace)}); keys are paths relative to the workspace, so match only files inside it`,
        );
      }
      const relative = rel.split(path.sep).join('/');
      // `**` reaches .git/ too, and that is never what is meant: skipped unless named.
      if (namesGit(relative) && !gitAllowed) continue;
      found.set(relative, absolute);
    }
  }

  const sorted = [...found.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: LocalFile[] = new Array(sorted.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < sorted.length; i = next++) {
      const check = await checkLocalFile(found.get(sorted[i])!, roots);
      if (!check.ok) throw new InputError('files', `${quote(sorted[i])} ${check.problem}`);
      files[i] = { absolute: check.real, relative: sorted[i] };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECKS_AT_ONCE, sorted.length) }, worker));

  const warnings: string[] = [];
  const gitFiles = files.filter((f) => namesGit(f.relative)).length;
  if (gitFiles) {
    warnings.push(
      `files: ${gitFiles} file${gitFiles === 1 ? '' : 's'} under .git/ matched because a pattern names .git; actions/checkout keeps the repository token in .git/config, so make sure no such file is among them`,
    );
  }
  return { files, unmatched, warnings };
}

export interface FilePins {
  'Content-Length': string;
  'Content-MD5': string;
  'Content-Type': string;
}

/** Size, base64 MD5 (as Content-MD5 wants it) and type of one file, read as a stream. */
export async function filePins(f: LocalFile): Promise<FilePins> {
  const md5 = createHash('md5');
  let read = 0;
  let size: number;
  try {
    const { handle, size: s } = await openRegularFile(f.absolute);
    size = s;
    try {
      for await (const chunk of handle.createReadStream({ autoClose: false })) {
        md5.update(chunk as Buffer);
        read += (chunk as Buffer).length;
      }
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw new InputError('files', `cannot read ${quote(f.relative)}: ${(e as Error).message}`);
  }
  if (read !== size) {
    throw new InputError(
      'files',
      `${quote(f.relative)} changed while it was being read; sign it after the step that writes it has finished`,
    );
  }
  return {
    'Content-Length': String(size),
    'Content-MD5': md5.digest('base64'),
    'Content-Type': contentType(f.relative),
  };
}

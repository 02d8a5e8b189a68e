/**
 * Local files behind the `files` input: their keys (path relative to the workspace), and for
 * PUT the size, MD5 and type that get pinned into each upload URL's signature.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { InputError } from './inputs';

/** Extension → Content-Type for common release artifacts; anything else is octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.md': 'text/markdown', '.csv': 'text/csv', '.html': 'text/html', '.htm': 'text/html',
  '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
  '.xml': 'application/xml', '.yaml': 'application/yaml', '.yml': 'application/yaml', '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.mp4': 'video/mp4', '.mp3': 'audio/mpeg', '.woff2': 'font/woff2',
  '.wasm': 'application/wasm', '.zip': 'application/zip', '.gz': 'application/gzip', '.tgz': 'application/gzip',
  '.tar': 'application/x-tar', '.bz2': 'application/x-bzip2', '.xz': 'application/x-xz', '.zst': 'application/zstd',
  '.7z': 'application/x-7z-compressed', '.jar': 'application/java-archive', '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm', '.apk': 'application/vnd.android.package-archive', '.dmg': 'application/x-apple-diskimage',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface LocalFile {
  /** Absolute path. */
  absolute: string;
  /** Path relative to the workspace with `/` separators: the key (before key-prefix). */
  relative: string;
}

/** Turns matched paths into workspace-relative names, sorted so keys come out in a stable order. */
export function relativeFiles(matches: string[], workspace: string): LocalFile[] {
  const out = new Map<string, LocalFile>();
  for (const m of matches) {
    const absolute = path.resolve(workspace, m);
    const rel = path.relative(workspace, absolute);
    if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
      throw new InputError('files', `${JSON.stringify(m)} is outside the workspace (${workspace}); keys are paths relative to the workspace, so match only files inside it`);
    }
    const relative = rel.split(path.sep).join('/');
    out.set(relative, { absolute, relative });
  }
  return [...out.values()].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

export interface FilePins {
  'Content-Length': string;
  'Content-MD5': string;
  'Content-Type': string;
}

/** Size, base64 MD5 (as Content-MD5 wants it) and type of one file, read as a stream. */
export async function filePins(f: LocalFile): Promise<FilePins> {
  let size: number;
  try {
    size = (await fsp.stat(f.absolute)).size;
  } catch (e) {
    throw new InputError('files', `cannot read ${JSON.stringify(f.relative)}: ${(e as Error).message}`);
  }
  const md5 = createHash('md5');
  let read = 0;
  try {
    for await (const chunk of createReadStream(f.absolute)) {
      md5.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
  } catch (e) {
    throw new InputError('files', `cannot read ${JSON.stringify(f.relative)}: ${(e as Error).message}`);
  }
  if (read !== size) {
    throw new InputError('files', `${JSON.stringify(f.relative)} changed while it was being read; sign it after the step that writes it has finished`);
  }
  return { 'Content-Length': String(size), 'Content-MD5': md5.digest('base64'), 'Content-Type': contentType(f.relative) };
}

/**
 * Just enough Markdown reading for the documentation tests: which files are the project's
 * documentation, their fenced code blocks, their links and their heading anchors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** README.md, ARCHITECTURE.md, SECURITY.md, docs/*.md and examples/**\/README.md, relative to ROOT. */
export function documentationFiles(root = ROOT): string[] {
  const files = ['README.md', 'ARCHITECTURE.md', 'SECURITY.md'].filter((f) => fs.existsSync(path.join(root, f)));
  const docs = path.join(root, 'docs');
  if (fs.existsSync(docs)) {
    for (const f of fs.readdirSync(docs).sort()) if (f.endsWith('.md')) files.push(`docs/${f}`);
  }
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name === 'README.md') files.push(rel);
    }
  };
  if (fs.existsSync(path.join(root, 'examples'))) walk('examples');
  return files;
}

export interface CodeBlock {
  /** The info string's first word, lower-case (`yaml`, `bash`, ''). */
  lang: string;
  text: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

/** Fenced code blocks, and the text with every fenced block blanked out (line numbers kept). */
export function codeBlocks(markdown: string): { blocks: CodeBlock[]; prose: string } {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; lang: string; start: number; body: string[] } | undefined;
  lines.forEach((l, i) => {
    if (!open) {
      const m = FENCE.exec(l);
      if (m) {
        open = { fence: m[1], lang: m[2].toLowerCase(), start: i + 2, body: [] };
        prose.push('');
      } else {
        prose.push(l);
      }
      return;
    }
    const close = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(l)) {
      blocks.push({ lang: open.lang, text: open.body.join('\n') + '\n', line: open.start });
      open = undefined;
    } else {
      open.body.push(l);
    }
    prose.push('');
  });
  if (open) throw new Error(`unclosed code fence opened on line ${open.start - 1}`);
  return { blocks, prose: prose.join('\n') };
}

export interface Link {
  target: string;
  line: number;
}

/** Inline links and images, reference definitions and HTML href/src, outside code. */
export function links(markdown: string): Link[] {
  // Inline code spans may show link syntax without being links.
  const prose = codeBlocks(markdown).prose.replace(/(`+)[^`\n]*?\1/g, (m) => ' '.repeat(m.length));
  const out: Link[] = [];
  prose.split('\n').forEach((l, i) => {
    const line = i + 1;
    for (const m of l.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      out.push({ target: m[1], line });
    const ref = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(l);
    if (ref) out.push({ target: ref[1], line });
    for (const m of l.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) out.push({ target: m[1], line });
  });
  return out;
}

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const l of codeBlocks(markdown).prose.split('\n')) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (!m) continue;
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with one link of `file` (relative to root), or undefined when it resolves. */
export function brokenLink(root: string, file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined; // http:, mailto:, …
  const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
  const decoded = decodeURIComponent(pathPart.split('?')[0]);
  const abs = decoded === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decoded);
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return `points outside the repository (${rel})`;
  if (!fs.existsSync(abs)) return `${rel || '.'} does not exist`;
  if (fragment && abs.endsWith('.md') && fs.statSync(abs).isFile()) {
    if (!anchors(fs.readFileSync(abs, 'utf8')).has(fragment)) return `${rel} has no heading with anchor #${fragment}`;
  }
  return undefined;
}

/** The sticky PR comment's text (see comment.ts). Pure, so it can be tested without @actions. */

/** GitHub refuses issue and PR comments longer than this. */
export const COMMENT_LIMIT = 65536;

export interface CommentRow {
  key: string;
  url: string;
  size: number;
}

export function marker(workflow: string, job: string): string {
  return `<!-- cos-presign sticky comment: ${workflow.replace(/--+/g, '-')} / ${job.replace(/--+/g, '-')} -->`;
}

function cell(s: string): string {
  return s.replace(/[|\\`<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** The comment body: heading, table (key as link, size, expiry), and the marker. Pure. */
export function commentBody(rows: CommentRow[], expiresAt: string, mark: string, limit = COMMENT_LIMIT): string {
  const head = `### Download links\n\n${rows.length} file${rows.length === 1 ? '' : 's'} uploaded; the links work until **${expiresAt}**.\n\n| Key | Size | Expires |\n| --- | ---: | --- |\n`;
  const tail = `\n${mark}\n`;
  const noteRoom = 200;
  let body = head;
  let shown = 0;
  for (const r of rows) {
    const row = `| [${cell(r.key)}](${r.url.replace(/\)/g, '%29')}) | ${human(r.size)} | ${expiresAt} |\n`;
    if (body.length + row.length + tail.length + noteRoom > limit) break;
    body += row;
    shown++;
  }
  if (shown < rows.length) body += `\n${rows.length - shown} more link${rows.length - shown === 1 ? ' does' : 's do'} not fit in one comment (GitHub allows ${limit} characters); the step outputs urls and requests-file have them all.\n`;
  return body + tail;
}

/**
 * One rendering of core refusals for every front end. The core's `PresignError` names the
 * field at fault in its own terms (`startTime`, `securityToken`); each front end gives one
 * small table from those terms to what its user typed (`start-time`, `--start`), and this
 * module applies it to the field and to the field names the advice mentions.
 */
import type { PresignError } from '../core/errors';

/**
 * Core term -> the front end's spelling. Keys are field names (`startTime`, `bucket`) or, where
 * a field is named together with a value, the whole phrase (`set keySimplifyCheck: false`).
 * In the advice only camelCase names and phrases are replaced: a plain word such as `bucket`
 * or `key` is also ordinary English there, so it is renamed only as the field at fault.
 * A `null` value means the front end has no such option: a clause of the advice that names it
 * (`, or set keySimplifyCheck: false to …`) is dropped rather than shown in foreign terms.
 */
export type FieldNames = Readonly<Record<string, string | null>>;

/** The advice of a core refusal without the leading `field: ` (the `detail` of newer cores). */
export function errorDetail(e: PresignError): string {
  const detail = (e as PresignError & { detail?: unknown }).detail;
  if (typeof detail === 'string') return detail;
  const prefix = `${e.field}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every core term of `names` replaced by the front end's spelling (longest first). */
export function renameFields(text: string, names: FieldNames): string {
  let out = text;
  const terms = Object.keys(names)
    .filter((t) => /[A-Z]|[\s:/(]/.test(t))
    .sort((a, b) => b.length - a.length);
  for (const term of terms) {
    const to = names[term];
    const re = new RegExp(`(?<![\\w-])${escapeRe(term)}(?![\\w-])`, 'g');
    if (to === null) {
      // Drop the clause (", or …", "; …", " (…)") naming an option this front end lacks.
      out = out.replace(
        new RegExp(`(?:,? or |; | \\()[^;,()]*?(?<![\\w-])${escapeRe(term)}(?![\\w-])[^;()]*\\)?`, 'g'),
        '',
      );
      out = out.replace(re, term);
    } else {
      out = out.replace(re, to);
    }
  }
  return out;
}

export interface RenderedError {
  /** The front end's name of the field (`start-time`, `--start`). */
  field: string;
  /** The advice, in the front end's terms. */
  message: string;
}

/** A core refusal in a front end's terms. */
export function renderPresignError(e: PresignError, names: FieldNames): RenderedError {
  const mapped = names[e.field];
  return {
    field: mapped === undefined || mapped === null ? e.field : mapped,
    message: renameFields(errorDetail(e), names),
  };
}

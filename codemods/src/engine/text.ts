/**
 * The edit layer: minimal text edits over the original source, and the file's own style (line endings, quotes,
 * semicolons, indentation) so that inserted text looks like its neighbours. Every byte outside an edit's range is
 * kept as is.
 */

/** Replace `[start, end)` of the source with `text`. `start === end` inserts. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export class OverlappingEditsError extends Error {
  override readonly name = 'OverlappingEditsError';
  constructor(readonly first: TextEdit, readonly second: TextEdit) {
    super(`Edits \`[${first.start}, ${first.end})\` and \`[${second.start}, ${second.end})\` overlap.`);
  }
}

/**
 * Two edits conflict when their ranges share a character, or when both insert at the same offset (their order would
 * be arbitrary). An insertion at the boundary of a replacement does not conflict.
 */
export const editsConflict = (a: TextEdit, b: TextEdit): boolean => {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
};

export const anyConflict = (planned: readonly TextEdit[], accepted: readonly TextEdit[]): boolean =>
  planned.some((edit) => accepted.some((other) => editsConflict(edit, other)));

/** Applies non-overlapping edits; throws `OverlappingEditsError` otherwise. */
export const applyEdits = (source: string, edits: readonly TextEdit[]): string => {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  let previous: TextEdit | undefined;
  for (const edit of sorted) {
    if (edit.start < 0 || edit.end > source.length || edit.start > edit.end) {
      throw new RangeError(`The edit \`[${edit.start}, ${edit.end})\` lies outside the source.`);
    }
    if (previous !== undefined && editsConflict(previous, edit)) throw new OverlappingEditsError(previous, edit);
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
    previous = edit;
  }
  return out + source.slice(cursor);
};

export type Quote = "'" | '"';

export interface SourceStyle {
  readonly eol: '\n' | '\r\n';
  readonly quote: Quote;
  readonly semicolons: boolean;
  /** One level of indentation as the file writes it (two spaces, four spaces, a tab). */
  readonly indentUnit: string;
}

const BOM = '\uFEFF';

export const splitBom = (source: string): { bom: string; text: string } =>
  source.startsWith(BOM) ? { bom: BOM, text: source.slice(1) } : { bom: '', text: source };

export const detectEol = (text: string): '\n' | '\r\n' => {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
};

/** The smallest non-zero indentation of a line, or a tab when the file indents with tabs; two spaces otherwise. */
export const detectIndentUnit = (text: string): string => {
  let smallest = Infinity;
  let tabs = 0;
  let spaces = 0;
  for (const line of text.split(/\r?\n/)) {
    const match = /^([ \t]+)\S/.exec(line);
    if (!match?.[1]) continue;
    const indent = match[1];
    if (indent.startsWith('\t')) {
      tabs++;
    } else {
      spaces++;
      // Lines inside block comments (` * ...`) are indented by one space; they say nothing about the unit.
      if (indent.length > 1 || !line.trimStart().startsWith('*')) smallest = Math.min(smallest, indent.length);
    }
  }
  if (tabs > spaces) return '\t';
  return smallest === Infinity || smallest < 2 ? '  ' : ' '.repeat(smallest);
};

/** The indentation (spaces and tabs) of the line holding `offset`. */
export const lineIndentAt = (text: string, offset: number): string => {
  const lineStart = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
};

export const lineStartOf = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

/** Nothing but spaces and tabs lies between the start of `offset`'s line and `offset`. */
export const startsLine = (text: string, offset: number): boolean =>
  /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));

/**
 * Moves a multi-line snippet to a place indented with `to` when it was indented with `from`: every line after the
 * first loses `from` and gains `to`. Lines that do not start with `from` (less indented, or inside template literals)
 * are left alone rather than damaged.
 */
export const reindent = (snippet: string, from: string, to: string): string => {
  if (from === to || !snippet.includes('\n')) return snippet;
  return snippet
    .split('\n')
    .map((line, index) => {
      if (index === 0) return line;
      if (line.trim() === '' || line.trim() === '\r') return line;
      return line.startsWith(from) ? to + line.slice(from.length) : line;
    })
    .join('\n');
};

/** Makes every line break of generated text the file's own. */
export const withEol = (snippet: string, eol: '\n' | '\r\n'): string =>
  eol === '\n' ? snippet.replace(/\r\n/g, '\n') : snippet.replace(/\r?\n/g, '\r\n');

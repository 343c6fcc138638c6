import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Files larger than this are skipped unread: generated bundles and data, not hand-written code. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadOutcome =
  | { readonly kind: 'text'; readonly bytes: Buffer; readonly text: string }
  | { readonly kind: 'skip'; readonly reason: 'binary' | 'too-large' | 'not-utf8'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Reads a source file as UTF-8 exactly: a byte-order mark stays in the text as U+FEFF and line endings are kept, so
 * that writing the text back gives the same bytes. Files that would not survive that round trip are skipped:
 * NUL bytes (binary), and bytes that are not valid UTF-8.
 *
 * The reads are synchronous: source files are small and usually cached, and a synchronous read costs a fraction of
 * the round trips through libuv's thread pool that an asynchronous one makes (open, stat, read, close), which add up
 * over a repository. The promise only keeps the callers' shape.
 */
export async function readSource(file: string, maxBytes: number): Promise<ReadOutcome> {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // The size is checked on the open file, so that what is read is what was measured. Non-blocking, so that opening
    // a named pipe returns at once (and is then refused as not a regular file) instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) return { kind: 'error', message: `\`${file}\` is not a regular file.` };
    if (info.size > maxBytes) {
      return {
        kind: 'skip',
        reason: 'too-large',
        message: `The file has ${info.size} bytes, more than the limit of ${maxBytes}.`,
      };
    }
    bytes = readFileSync(fd);
  } catch (error) {
    return { kind: 'error', message: `The file could not be read: ${describeError(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.includes(0)) return { kind: 'skip', reason: 'binary', message: 'The file holds NUL bytes, so it is not source text.' };
  if (!isUtf8(bytes)) return { kind: 'skip', reason: 'not-utf8', message: 'The file is not valid UTF-8.' };
  return { kind: 'text', bytes, text: bytes.toString('utf8') };
}

/**
 * Every lazy site stores into its slot with an assignment (`=`, `??=` or `||=`; see the analysis's `LazySite.stores`),
 * so a text without a `=` that is not part of `==`, `===`, `!=`, `!==`, `<=`, `>=` or `=>` cannot hold one and need not
 * be parsed. The test errs towards parsing: `=` in comments, strings and type parameter defaults counts.
 */
export function mayHoldLazySite(text: string): boolean {
  return ASSIGNMENT.test(text);
}

const ASSIGNMENT = /(?:^|[^=!<>])=(?![=>])/;

export type WriteOutcome =
  | { readonly kind: 'written' }
  | { readonly kind: 'changed-on-disk'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Replaces the file with `output` if it still holds `original`. The new text goes to a temporary file in the same
 * directory (same mode, and owner when permitted); then, in one synchronous step that no other lane can interleave
 * with, the file is re-read and compared with `original` and the temporary file renamed over it at once. An
 * interruption leaves either the old or the new bytes. Writing through a symbolic link replaces the link's target.
 *
 * Another process can still append in the microseconds between the comparison and the rename. The original is kept
 * open across the rename, so such an edit is seen on the replaced file afterwards: its text is then put back and the
 * file reported as changed on disk, so that an edit made during the run is never lost.
 */
export async function writeIfUnchanged(file: string, original: Buffer, output: string): Promise<WriteOutcome> {
  const changed = (detail?: string): WriteOutcome => ({
    kind: 'changed-on-disk',
    message: `The file changed on disk during the run and was left alone${detail ? `: ${detail}` : '.'}`,
  });
  let target: string;
  let temporary: string | undefined;
  try {
    target = realpathSync(file);
    const info = statSync(target);
    temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temporary, output, { mode: info.mode & 0o7777, flag: 'wx' });
    try {
      chownSync(temporary, info.uid, info.gid);
    } catch {
      // Only the owner or root may give a file away; the mode is kept either way.
    }
  } catch (error) {
    if (temporary !== undefined) removeQuietly(temporary);
    return { kind: 'error', message: `The file could not be written: ${describeError(error)}` };
  }

  // From here to the rename nothing yields to the event loop.
  let fd: number;
  try {
    fd = openSync(target, constants.O_RDONLY);
  } catch (error) {
    removeQuietly(temporary);
    return changed(describeError(error));
  }
  try {
    if (!readFileSync(fd).equals(original)) {
      removeQuietly(temporary);
      return changed();
    }
    try {
      renameSync(temporary, target);
    } catch (error) {
      removeQuietly(temporary);
      return { kind: 'error', message: `The file could not be written: ${describeError(error)}` };
    }
    const late = readAllAt(fd);
    if (!late.equals(original)) {
      restore(target, late);
      return changed();
    }
    return { kind: 'written' };
  } finally {
    closeSync(fd);
  }
}

/** The whole content of an open file from its start, whatever its read position. */
function readAllAt(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const buffer = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const read = readSync(fd, buffer, offset, size - offset, offset);
    if (read === 0) break;
    offset += read;
  }
  return buffer.subarray(0, offset);
}

/** Puts back the text of a file that was edited while it was being replaced. */
function restore(target: string, text: Buffer): void {
  const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.restore`;
  writeFileSync(temporary, text, { mode: statSync(target).mode & 0o7777 });
  renameSync(temporary, target);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

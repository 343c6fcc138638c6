import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

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
 * Replaces the file with `output` if it still holds `original`. The write goes to a temporary file in the same
 * directory that is renamed over the original, so an interruption leaves either the old or the new bytes; the
 * file's mode (and owner, when permitted) is kept. Writing through a symbolic link replaces the link's target.
 *
 * The comparison and the rename are not one atomic step: an editor saving in the few microseconds between them
 * still loses its write. Comparing right before the rename makes that window as small as it can be.
 */
export async function writeIfUnchanged(file: string, original: Buffer, output: string): Promise<WriteOutcome> {
  let current: Buffer;
  try {
    current = await readFile(file);
  } catch (error) {
    return { kind: 'changed-on-disk', message: `The file changed on disk during the run and was left alone: ${describeError(error)}` };
  }
  if (!current.equals(original)) {
    return { kind: 'changed-on-disk', message: 'The file changed on disk during the run and was left alone.' };
  }
  try {
    await writeFileAtomic(file, Buffer.from(output, 'utf8'));
    return { kind: 'written' };
  } catch (error) {
    return { kind: 'error', message: `The file could not be written: ${describeError(error)}` };
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

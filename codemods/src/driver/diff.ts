import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff in git's `a/` `b/` form (three lines of context) that `git apply` and `patch -p1` accept.
 * Line endings are part of the lines, so a CRLF file shows its `\r` characters.
 */
export function unifiedDiff(relativePath: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${relativePath}`, `b/${relativePath}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

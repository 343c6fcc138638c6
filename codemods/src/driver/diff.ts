import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff in git's form (three lines of context) that `git apply` and `patch -p1` accept. `relativePath` is
 * relative to the top of the work tree: the `diff --git` line tells `git apply` so, which then takes the diff from any
 * folder of the work tree (without it, `git apply` reads the paths relative to the folder it runs in).
 * Line endings are part of the lines, so a CRLF file shows its `\r` characters.
 */
export function unifiedDiff(relativePath: string, before: string, after: string): string {
  return `diff --git a/${relativePath} b/${relativePath}\n` + createTwoFilesPatch(`a/${relativePath}`, `b/${relativePath}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

interface GitOutput {
  readonly ok: boolean;
  readonly stdout: string;
}

function git(args: readonly string[], cwd: string): Promise<GitOutput | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      // No git on this machine: there is no work tree to protect.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(undefined);
      else resolve({ ok: error === null, stdout });
    });
  });
}

/**
 * The files among `files` (absolute paths) that have uncommitted changes in the git work tree holding them:
 * modified, staged, added, renamed, conflicted, or untracked (an untracked file cannot be restored from git either).
 * Files outside any work tree, or on a machine without git, are never dirty. Returns a subset of `files`, in order.
 *
 * A file's work tree is found as git finds it, from the nearest directory at or above it that holds `.git` (a
 * directory, or a file for linked work trees and submodules), so nested repositories are asked separately and
 * only one `git status` runs per work tree.
 */
export async function findDirtyFiles(files: readonly string[]): Promise<string[]> {
  const realDirectories = new Map<string, string>();
  const roots = new Map<string, string | undefined>();
  const byRoot = new Map<string, Array<{ file: string; real: string }>>();
  for (const file of files) {
    const dir = path.dirname(file);
    let realDir = realDirectories.get(dir);
    if (realDir === undefined) realDirectories.set(dir, (realDir = await realpathOr(dir)));
    // Links inside walked directories are not followed, so a file's real path is its directory's real path plus its
    // name; an explicitly named link resolves to its target, which is what gets written.
    const real = (await isLinkToFile(file)) ? await realpathOr(file) : path.join(realDir, path.basename(file));
    const root = repositoryRoot(path.dirname(real), roots);
    if (root === undefined) continue;
    const group = byRoot.get(root);
    if (group) group.push({ file, real });
    else byRoot.set(root, [{ file, real }]);
  }

  const dirty = new Set<string>();
  for (const [root, group] of byRoot) {
    const top = await git(['rev-parse', '--show-toplevel'], root);
    if (!top?.ok || top.stdout.trim() === '') continue;
    const toplevel = await realpathOr(path.resolve(top.stdout.trim()));
    const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=no'], toplevel);
    if (!status?.ok) continue;
    const changed = new Set(parsePorcelainZ(status.stdout).map((relative) => path.join(toplevel, relative)));
    for (const { file, real } of group) if (changed.has(real)) dirty.add(file);
  }
  return files.filter((file) => dirty.has(file));
}

/**
 * The first answer `probe` gives for `dir` or one of its ancestors, nearest first; `cache` remembers the answer for
 * every directory asked, so a walk over many files in one tree probes each directory once.
 */
export function nearestAncestor(
  dir: string,
  cache: Map<string, string | undefined>,
  probe: (directory: string) => string | undefined,
): string | undefined {
  const visited: string[] = [];
  let found: string | undefined;
  for (let current = dir; ; current = path.dirname(current)) {
    if (cache.has(current)) {
      found = cache.get(current);
      break;
    }
    visited.push(current);
    found = probe(current);
    if (found !== undefined || path.dirname(current) === current) break;
  }
  for (const entry of visited) cache.set(entry, found);
  return found;
}

/** The nearest directory at or above `dir` that holds `.git`. */
export const repositoryRoot = (dir: string, cache: Map<string, string | undefined>): string | undefined =>
  nearestAncestor(dir, cache, (current) => (existsSync(path.join(current, '.git')) ? current : undefined));

async function realpathOr(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return file;
  }
}

async function isLinkToFile(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink() && (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * `git status --porcelain=v1 -z` entries are `XY <path>` separated by NUL; a rename or copy entry (`R`/`C` in X or Y)
 * is followed by one more NUL-terminated field, the source path. Paths are relative to the top level and unquoted.
 */
export function parsePorcelainZ(output: string): string[] {
  const fields = output.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field === undefined || field.length < 4) continue;
    const status = field.slice(0, 2);
    paths.push(field.slice(3));
    if (status.includes('R') || status.includes('C')) {
      const source = fields[++i];
      if (source) paths.push(source);
    }
  }
  return paths;
}

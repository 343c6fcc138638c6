import { execFile } from 'node:child_process';
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
 * Files outside any work tree, or on a machine without git, are never dirty. Returns a subset of `files`.
 */
export async function findDirtyFiles(files: readonly string[]): Promise<string[]> {
  // One `git status` per work tree; files are grouped by the directory that holds them.
  const byDirectory = new Map<string, string[]>();
  for (const file of files) {
    const dir = path.dirname(file);
    const group = byDirectory.get(dir);
    if (group) group.push(file);
    else byDirectory.set(dir, [file]);
  }

  const toplevels = new Map<string, { real: string; files: Array<{ file: string; real: string }> }>();
  const realDirectories = new Map<string, string>();
  for (const [dir, group] of byDirectory) {
    const realDir = await realpathOr(dir);
    realDirectories.set(dir, realDir);
    const top = await toplevelOf(realDir);
    if (top === undefined) continue;
    let entry = toplevels.get(top);
    if (!entry) toplevels.set(top, (entry = { real: top, files: [] }));
    for (const file of group) {
      // Links inside walked directories are not followed, so a file's real path is its directory's real path
      // plus its name; an explicitly named link resolves to its target, which is what gets written.
      const real = (await isSymlinkTarget(file)) ? await realpathOr(file) : path.join(realDir, path.basename(file));
      entry.files.push({ file, real });
    }
  }

  const dirty: string[] = [];
  for (const [top, entry] of toplevels) {
    const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=no'], top);
    if (!status?.ok) continue;
    const changed = parsePorcelainZ(status.stdout).map((relative) => path.join(top, relative));
    const changedSet = new Set(changed);
    for (const { file, real } of entry.files) if (changedSet.has(real)) dirty.push(file);
  }
  return dirty;
}

async function toplevelOf(dir: string): Promise<string | undefined> {
  const result = await git(['rev-parse', '--show-toplevel'], dir);
  if (!result?.ok) return undefined;
  const top = result.stdout.trim();
  return top === '' ? undefined : realpathOr(path.resolve(top));
}

async function realpathOr(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return file;
  }
}

async function isSymlinkTarget(file: string): Promise<boolean> {
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

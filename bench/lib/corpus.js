/**
 * The body of real code the lint and codemod benchmarks run over: the projects checked out under
 * `.bench-corpus/<project>/` (ignored by git; `LAZY_INIT_BENCH_CORPUS` names another folder), listed without
 * dependencies, build output, fixtures or declaration files, and sampled evenly across projects up to a byte budget.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusRoot = process.env.LAZY_INIT_BENCH_CORPUS ?? path.join(repoRoot, '.bench-corpus');

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', 'fixtures', '__snapshots__', 'snapshots']);
const DECLARATION = /\.d(\.[^./]+)?\.[cm]?ts$/;

/**
 * Source files under `dir` whose name matches `pattern`, declaration files, hidden entries and the folders of
 * `skipped` left out.
 */
export function listSources(dir, pattern, found = [], skipped = SKIPPED_DIRS) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) listSources(full, pattern, found, skipped);
    } else if (entry.isFile() && pattern.test(entry.name) && !DECLARATION.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

/** The corpus projects (`{ name, dir, files }`, by name) that hold at least one file matching `pattern`. */
export function corpusProjects(pattern) {
  if (!existsSync(corpusRoot)) return [];
  return readdirSync(corpusRoot)
    .filter((name) => statSync(path.join(corpusRoot, name)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: path.join(corpusRoot, name) }))
    .map((project) => ({ ...project, files: listSources(project.dir, pattern) }))
    .filter((project) => project.files.length > 0);
}

/** Every `step`-th file of each project (sorted paths), so each project gives an equal share of the byte budget. */
export function sample(projects, budget) {
  const share = budget / projects.length;
  const files = [];
  for (const project of projects) {
    const all = [...project.files].sort();
    const totalBytes = all.reduce((sum, file) => sum + statSync(file).size, 0);
    const step = Math.max(1, Math.round(totalBytes / share));
    let bytes = 0;
    for (let i = 0; i < all.length && bytes < share; i += step) {
      const size = statSync(all[i]).size;
      if (size > 200_000) continue; // generated tables say little about hand-written code
      files.push({ project: project.name, file: all[i] });
      bytes += size;
    }
  }
  return files;
}

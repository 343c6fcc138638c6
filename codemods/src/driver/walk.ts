import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';
import picomatch from 'picomatch';
import { PathNotFoundError } from './errors.js';

/** The extensions the codemod reads. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/**
 * Directories never walked into, wherever they sit below a walked directory: dependencies, version control, and the
 * usual build, cache and coverage output. A directory named on the command line is walked even if it is one of these.
 */
export const IGNORED_DIRECTORIES = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.nyc_output',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.turbo',
  '.vercel',
  '.netlify',
  '.cache',
  '.parcel-cache',
  '.yarn',
  '.pnpm-store',
] as const;

const SOURCE_GLOB = `**/*.{${SOURCE_EXTENSIONS.map((ext) => ext.slice(1)).join(',')}}`;
const IGNORE_GLOBS = IGNORED_DIRECTORIES.map((dir) => `**/${dir}/**`);

/** `.d.ts`, `.d.mts`, `.d.cts`, and declarations for other file kinds such as `styles.d.css.ts`. */
const DECLARATION_FILE = /\.d(\.[^./\\]+)?\.[mc]?ts$/i;

export function isDeclarationFile(file: string): boolean {
  return DECLARATION_FILE.test(file);
}

export function hasSourceExtension(file: string): boolean {
  const lower = file.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export interface WalkOptions {
  readonly cwd: string;
  readonly paths: readonly string[];
  /** Globs relative to `cwd`; a glob without `/` matches the file's base name. Empty: every file. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface WalkSkip {
  /** Absolute path. */
  readonly file: string;
  readonly reason: 'unsupported-extension' | 'declaration-file';
  readonly message: string;
}

export interface WalkResult {
  /** Absolute paths, unique, sorted by their path relative to `cwd`. */
  readonly files: readonly string[];
  /** Files named explicitly that the codemod does not read. */
  readonly skipped: readonly WalkSkip[];
}

/**
 * Lists the files to process. Directories are walked without following symbolic links (so a link cycle cannot make
 * the walk loop), honouring every `.gitignore` from the directory down and up to its repository root. Files named
 * explicitly are taken as given, even when ignored by git, and are resolved through symbolic links when read.
 */
export async function walk(options: WalkOptions): Promise<WalkResult> {
  const matchInclude = globMatcher(options.include);
  const matchExclude = globMatcher(options.exclude);
  const selected = (file: string): boolean => {
    const relative = toPosix(path.relative(options.cwd, file));
    return (matchInclude === undefined || matchInclude(relative)) && (matchExclude === undefined || !matchExclude(relative));
  };

  const found = new Set<string>();
  const skipped: WalkSkip[] = [];
  // Every given path is looked at concurrently (a long list of files is the usual case); the first missing one, in the
  // order given, is the one reported.
  const absolutes = options.paths.map((given) => path.resolve(options.cwd, given));
  const kinds = await Promise.all(absolutes.map(pathKind));
  for (const [index, given] of options.paths.entries()) {
    const absolute = absolutes[index]!;
    const kind = kinds[index]!;
    if (kind === 'missing') throw new PathNotFoundError(given);
    if (kind === 'directory') {
      const files = await globby(SOURCE_GLOB, {
        cwd: absolute,
        absolute: true,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        gitignore: true,
        ignore: IGNORE_GLOBS,
      });
      for (const file of files) {
        const normalized = path.normalize(file);
        if (!isDeclarationFile(normalized) && selected(normalized)) found.add(normalized);
      }
      continue;
    }
    if (!selected(absolute)) continue;
    if (!hasSourceExtension(absolute)) {
      skipped.push({
        file: absolute,
        reason: 'unsupported-extension',
        message: `Only ${SOURCE_EXTENSIONS.map((ext) => `\`${ext}\``).join(', ')} files are rewritten.`,
      });
    } else if (isDeclarationFile(absolute)) {
      skipped.push({ file: absolute, reason: 'declaration-file', message: 'Declaration files hold no code to rewrite.' });
    } else {
      found.add(absolute);
    }
  }

  const byRelative = (a: string, b: string): number => compareStrings(path.relative(options.cwd, a), path.relative(options.cwd, b));
  return { files: [...found].sort(byRelative), skipped: skipped.sort((a, b) => byRelative(a.file, b.file)) };
}

/**
 * A matcher for paths relative to the working directory: a glob with a `/` matches the whole path, one without
 * matches the base name (as in `.gitignore`), so `*.test.ts` excludes test files at any depth.
 */
function globMatcher(globs: readonly string[]): ((relative: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const withSlash = globs.filter((glob) => glob.includes('/')).map((glob) => glob.replace(/^\.\//, ''));
  const baseNames = globs.filter((glob) => !glob.includes('/'));
  const matchPath = withSlash.length > 0 ? picomatch(withSlash, { dot: true }) : () => false;
  const matchBase = baseNames.length > 0 ? picomatch(baseNames, { dot: true }) : () => false;
  return (relative) => matchPath(relative) || matchBase(path.posix.basename(relative));
}

/**
 * A path that exists as a link but cannot be resolved (a dangling link, a link cycle) counts as a file: reading it
 * fails, and that failure is reported for the file instead of stopping the whole run.
 */
async function pathKind(absolute: string): Promise<'missing' | 'directory' | 'file'> {
  try {
    return (await stat(absolute)).isDirectory() ? 'directory' : 'file';
  } catch {
    // Unresolvable: a link that exists (dangling, or in a cycle) is a file whose reading fails; else it is missing.
    try {
      await lstat(absolute);
      return 'file';
    } catch {
      return 'missing';
    }
  }
}

export function toPosix(file: string): string {
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}

/** Code-unit order, independent of the locale, so that reports are identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

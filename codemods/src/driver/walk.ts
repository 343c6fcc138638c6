import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';
import picomatch from 'picomatch';
import { PathNotFoundError } from './errors.js';

/** The extensions the codemod reads. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/**
 * Directories never walked into, wherever they sit below a walked directory: dependencies, version control, and the
 * caches of tools, which no project keeps its sources in. Folders that often hold build output but just as often
 * hold sources (`build`, `dist`, `out`, `lib`) are not on the list: `.gitignore` (or, inside a git work tree, what
 * git tracks) and the `outDir` of a `tsconfig.json` say whether they are output.
 */
export const IGNORED_DIRECTORIES = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
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
      const listed = (await gitListing(absolute)) ?? (await globListing(absolute));
      const outputs = await compiledOutputDirectories(absolute, listed.tsconfigs);
      const isOutput = (file: string): boolean => outputs.some((dir) => file.startsWith(dir + path.sep));
      for (const file of listed.files) {
        const normalized = path.normalize(file);
        if (!isDeclarationFile(normalized) && !isOutput(normalized) && selected(normalized)) found.add(normalized);
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

interface Listing {
  /** Absolute paths of source files. */
  readonly files: readonly string[];
  /** Absolute paths of the `tsconfig*.json` files among the listed files. */
  readonly tsconfigs: readonly string[];
}

const TSCONFIG = /^tsconfig(\.[^/\\]*)?\.json$/;
const IGNORED_SEGMENTS = new Set<string>(IGNORED_DIRECTORIES);

/**
 * Inside a git work tree, the files git knows of: tracked ones, and untracked ones that no ignore rule excludes (git
 * applies every `.gitignore`, `.git/info/exclude` and the user's excludes file). Links and paths that git lists but
 * that are not regular files here (deleted files, submodules, nested repositories) are left out, as the directory
 * walk leaves them out. `undefined` outside a work tree, or without a working git.
 */
async function gitListing(dir: string): Promise<Listing | undefined> {
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
  if (output === undefined) return undefined;
  const files: string[] = [];
  const tsconfigs: string[] = [];
  for (const relative of output.split('\0')) {
    if (relative === '' || relative.endsWith('/')) continue;
    const segments = relative.split('/');
    if (segments.slice(0, -1).some((segment) => IGNORED_SEGMENTS.has(segment))) continue;
    const base = segments[segments.length - 1]!;
    const isTsconfig = TSCONFIG.test(base);
    if (!isTsconfig && !hasSourceExtension(base)) continue;
    const absolute = path.join(dir, relative);
    try {
      if (!(await lstat(absolute)).isFile()) continue;
    } catch {
      continue;
    }
    (isTsconfig ? tsconfigs : files).push(absolute);
  }
  return { files, tsconfigs };
}

/** Outside git: a directory walk that honours every `.gitignore` from `dir` down and up to its repository root. */
async function globListing(dir: string): Promise<Listing> {
  const found = await globby([SOURCE_GLOB, '**/tsconfig*.json'], {
    cwd: dir,
    absolute: true,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    gitignore: true,
    ignore: IGNORE_GLOBS,
  });
  const tsconfigs = found.filter((file) => TSCONFIG.test(path.basename(file)));
  return { files: found.filter((file) => !TSCONFIG.test(path.basename(file))), tsconfigs };
}

/**
 * The `outDir` and `declarationDir` of the `tsconfig*.json` files found in the walk and of the nearest one above it:
 * compiled output, whatever its folder is called. An output folder that holds its own config's folder (`outDir: "."`)
 * is not output-only and is ignored. `extends` is not followed.
 */
async function compiledOutputDirectories(dir: string, found: readonly string[]): Promise<string[]> {
  const configs = new Set(found);
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, 'tsconfig.json');
    if (existsSync(candidate)) {
      configs.add(candidate);
      break;
    }
    if (path.dirname(current) === current) break;
  }
  const outputs: string[] = [];
  for (const config of configs) {
    let text: string;
    try {
      text = await readFile(config, 'utf8');
    } catch {
      continue;
    }
    if (!/"(outDir|declarationDir)"/.test(text)) continue;
    const { default: ts } = await import('typescript');
    const parsed = ts.parseConfigFileTextToJson(config, text).config as { compilerOptions?: Record<string, unknown> } | undefined;
    for (const key of ['outDir', 'declarationDir']) {
      const value = parsed?.compilerOptions?.[key];
      if (typeof value !== 'string' || value === '') continue;
      const output = path.resolve(path.dirname(config), value);
      const configDir = path.dirname(config);
      if (configDir === output || configDir.startsWith(output + path.sep)) continue;
      outputs.push(output);
    }
  }
  return outputs;
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

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultEngineModule } from '../engine-loader.js';
import type { EngineOptions, FileResult, SiteReport, TransformSlug } from '../engine/types.js';
import { defaultCpus, isTransformSlug, TRANSFORM_SLUGS } from './args.js';
import { unifiedDiff } from './diff.js';
import { DirtyWorkTreeError, TsconfigNotFoundError } from './errors.js';
import { DEFAULT_MAX_FILE_BYTES, mayHoldLazySite, readSource, writeIfUnchanged, type ReadOutcome } from './files.js';
import { findDirtyFiles, repositoryRoot } from './git.js';
import { addRuntimeDependency, addsRuntimeImport, nearestManifest, RUNTIME_PACKAGE, runtimeRange } from './manifest.js';
import { buildReport, type CodemodReport, type FileReport, type ManifestReport } from './report.js';
import { compareStrings, toPosix, walk } from './walk.js';
import { createInProcessRunner, createScreenedRunner, createWorkerRunner, type EngineSource, type TransformRunner } from './workers.js';

export type { EngineSource } from './workers.js';

/** One slot's rewrite, offered at review: its sites, and the diff of the file with this rewrite alone. */
export interface ProposedRewrite {
  readonly sites: readonly SiteReport[];
  readonly diff: string;
}

/** A file whose rewrites wait for a decision, in walk order, one file at a time. */
export interface ReviewRequest {
  /** Relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly rewrites: readonly ProposedRewrite[];
}

export interface ReviewAnswer {
  /** Indexes into `rewrites` of those to write; the others are reported skipped as `not-selected`. */
  readonly accepted: readonly number[];
  /** End the run after this file: its accepted rewrites are written, and no further file is offered. */
  readonly stop: boolean;
}

export type ProgressEvent =
  | { readonly type: 'start'; readonly total: number }
  | { readonly type: 'file'; readonly path: string; readonly status: FileReport['status'] };

export interface RunOptions {
  /** Files and directories to process, relative to `cwd`. Default: `['.']`. */
  readonly paths?: readonly string[];
  /** Default: `process.cwd()`. Report paths are relative to it. */
  readonly cwd?: string;
  /** Compute everything, write nothing; rewritten files carry a unified `diff`. */
  readonly dryRun?: boolean;
  /** Only these transforms. Default: all. */
  readonly transforms?: readonly TransformSlug[];
  /** Default: on when a `tsconfig.json` is found at or above the first path. */
  readonly typeAware?: boolean;
  /** The project for type-aware mode. Default: the nearest `tsconfig.json` at or above the first path. */
  readonly tsconfigPath?: string;
  readonly preserveFailureCaching?: boolean;
  /** Write over files with uncommitted git changes. Default: refuse with `DirtyWorkTreeError`. */
  readonly allowDirty?: boolean;
  /** Globs relative to `cwd`; a glob without `/` matches base names. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Worker threads; `1` runs in this thread. Default: available cores - 1, at least 1. */
  readonly cpus?: number;
  /** Aborting stops scheduling files; writes under way finish; the report says `interrupted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * The rewrite engine. Default: the one shipped with the package. An engine given as `create` runs in this thread
   * whatever `cpus` says, since a function cannot be sent to a worker thread; give a `module` URL to run it in workers.
   */
  readonly engine?: EngineSource;
  /**
   * Add the runtime to the nearest `package.json` of each rewritten file that now imports it, when that manifest lacks
   * it. Default: `true`.
   */
  readonly addDependency?: boolean;
  /**
   * Process only this shard of the files (1-based `index` of `count`). A file's shard is a stable hash of its path
   * from the top of its git work tree (or from `cwd` outside git), so every machine splits a repository alike.
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Rewritten files carry their unified `diff` in a write run too (a dry run always has them). */
  readonly diffs?: boolean;
  /** Files larger than this many bytes are skipped as `too-large`. Default: 2 MiB. */
  readonly maxFileBytes?: number;
  /**
   * Asked, file by file in walk order, which rewrites to write; a file is written only with the rewrites accepted.
   * Aborting `signal` while it is asked abandons that file untouched. Cannot be combined with `dryRun`.
   */
  readonly review?: (request: ReviewRequest) => Promise<ReviewAnswer>;
}

/** The nearest `tsconfig.json` in `start` (a directory, or a file's directory) or any directory above it. */
export function findTsconfig(start: string): string | undefined {
  let dir = start;
  try {
    if (!statSync(start).isDirectory()) dir = path.dirname(start);
  } catch {
    dir = path.dirname(start);
  }
  for (;;) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function validate(options: RunOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError('`runCodemod` takes an options object.');
  const { paths, cpus, transforms, maxFileBytes, shard, review } = options;
  if (review !== undefined && typeof review !== 'function') throw new TypeError('Option `review` must be a function.');
  if (review !== undefined && options.dryRun) throw new TypeError('Options `review` and `dryRun` cannot be used together.');
  if (shard !== undefined && !(Number.isInteger(shard.count) && Number.isInteger(shard.index) && shard.index >= 1 && shard.index <= shard.count)) {
    throw new TypeError('Option `shard` must be `{ index, count }` with whole numbers and 1 <= index <= count.');
  }
  if (paths !== undefined && (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === ''))) {
    throw new TypeError('Option `paths` must be an array of non-empty strings.');
  }
  if (cpus !== undefined && !(Number.isInteger(cpus) && cpus >= 1)) {
    throw new TypeError(`Option \`cpus\` must be a whole number of at least 1, not \`${String(cpus)}\`.`);
  }
  if (maxFileBytes !== undefined && !(Number.isInteger(maxFileBytes) && maxFileBytes >= 0)) {
    throw new TypeError(`Option \`maxFileBytes\` must be a whole number of bytes, not \`${String(maxFileBytes)}\`.`);
  }
  for (const slug of transforms ?? []) {
    if (typeof slug !== 'string' || !isTransformSlug(slug)) {
      throw new TypeError(`Unknown transform \`${String(slug)}\`. Known transforms: ${TRANSFORM_SLUGS.join(', ')}.`);
    }
  }
  for (const key of ['include', 'exclude'] as const) {
    const globs = options[key];
    if (globs !== undefined && (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string' || g === ''))) {
      throw new TypeError(`Option \`${key}\` must be an array of non-empty glob strings.`);
    }
  }
  const engine = options.engine;
  if (engine !== undefined && !('module' in engine && typeof engine.module === 'string') && !('create' in engine && typeof engine.create === 'function')) {
    throw new TypeError('Option `engine` must be `{ module: string }` or `{ create: (options) => Engine }`.');
  }
}

/**
 * Finds lazy sites under `options.paths`, rewrites the safe ones in place (unless `dryRun`) and reports every file and
 * site. Throws `PathNotFoundError`, `DirtyWorkTreeError`, `TsconfigNotFoundError` or `EngineLoadError` before
 * touching anything; once files are being processed, problems are reported per file instead.
 */
export async function runCodemod(options: RunOptions = {}): Promise<CodemodReport> {
  validate(options);
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths && options.paths.length > 0 ? options.paths : ['.'];
  const dryRun = options.dryRun ?? false;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const relative = (file: string): string => toPosix(path.relative(cwd, file)) || path.basename(file);

  // Diff headers name a file from its git work tree's top, where `git apply` reads them from whatever directory
  // it runs in; outside git, from the working directory. Shards are decided on the same path.
  const gitRoots = new Map<string, string | undefined>();
  const diffPath = (file: string): string => {
    const root = repositoryRoot(path.dirname(file), gitRoots);
    return root === undefined ? relative(file) : toPosix(path.relative(root, file));
  };

  const listed = await walk({ cwd, paths, include: options.include ?? [], exclude: options.exclude ?? [] });
  const shard = options.shard;
  const inShard = (file: string): boolean => shard === undefined || shardOf(diffPath(file), shard.count) === shard.index - 1;
  const walked = shard === undefined ? listed : { files: listed.files.filter(inShard), skipped: listed.skipped.filter((skip) => inShard(skip.file)) };
  const filesFound = walked.files.length + walked.skipped.length;

  const firstPath = path.resolve(cwd, paths[0]!);
  let tsconfigPath = options.tsconfigPath === undefined ? undefined : path.resolve(cwd, options.tsconfigPath);
  if (options.typeAware !== false && tsconfigPath === undefined) tsconfigPath = findTsconfig(firstPath);
  const typeAware = options.typeAware ?? tsconfigPath !== undefined;
  if (typeAware && tsconfigPath === undefined) throw new TsconfigNotFoundError(paths[0]!);

  if (!dryRun && !options.allowDirty) {
    const dirty = await findDirtyFiles(walked.files);
    if (dirty.length > 0) throw new DirtyWorkTreeError(dirty.map(relative).sort(compareStrings));
  }

  const reports: FileReport[] = walked.skipped.map((skip) => ({
    path: relative(skip.file),
    status: 'skipped',
    reason: skip.reason,
    message: skip.message,
    sites: [],
  }));
  const signal = options.signal;
  const manifests: ManifestReport[] = [];
  /** The reviewer asked to end the run. */
  let stopped = false;
  const report = (interrupted: boolean): CodemodReport =>
    buildReport(reports, { filesFound, dryRun, typeAware, interrupted, stoppedAtReview: stopped }, manifests);
  // Files whose rewrite (written, or in a dry run due) brought in the runtime import.
  const importing: string[] = [];
  if (signal?.aborted) return report(true);
  if (walked.files.length === 0) return report(false);

  const engineOptions: EngineOptions = {
    typeAware,
    preserveFailureCaching: options.preserveFailureCaching ?? false,
    ...(options.transforms ? { transforms: [...options.transforms] } : {}),
    ...(typeAware && tsconfigPath !== undefined ? { tsconfigPath } : {}),
  };
  const engine = options.engine ?? { module: defaultEngineModule };
  const threads = Math.min(options.cpus ?? defaultCpus(), walked.files.length);
  // Type-aware with more than one thread: files are read up front so that other threads can look for sites while
  // this one builds the program (one program, rather than one per thread).
  const screened = typeAware && 'module' in engine && threads > 1;
  const preread = new Map<string, ReadOutcome>();
  if (screened) {
    let index = 0;
    const reader = async (): Promise<void> => {
      while (index < walked.files.length) {
        const file = walked.files[index++]!;
        preread.set(file, await readSource(file, maxFileBytes));
      }
    };
    await Promise.all(Array.from({ length: 8 }, reader));
  }
  const candidates = [...preread].flatMap(([filePath, read]) =>
    read.kind === 'text' && mayHoldLazySite(read.text) ? [{ filePath, source: read.text }] : [],
  );
  const runner: TransformRunner =
    'module' in engine && threads > 1
      ? screened
        ? await createScreenedRunner(engine.module, engineOptions, threads - 1, candidates)
        : await createWorkerRunner(engine.module, engineOptions, threads)
      : await createInProcessRunner(engine, engineOptions);

  const onAbort = (): void => void runner.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  options.onProgress?.({ type: 'start', total: walked.files.length });

  const processFile = async (file: string): Promise<FileReport | undefined> => {
    const rel = relative(file);
    const read = preread.get(file) ?? (await readSource(file, maxFileBytes));
    preread.delete(file);
    if (read.kind === 'error') return { path: rel, status: 'failed', reason: 'read-error', message: read.message, sites: [] };
    if (read.kind === 'skip') return { path: rel, status: 'skipped', reason: read.reason, message: read.message, sites: [] };
    if (!mayHoldLazySite(read.text)) return { path: rel, status: 'unchanged', sites: [] };
    if (signal?.aborted) return undefined;

    const outcome = await runner.transform(file, read.text);
    if (outcome.kind === 'abandoned') return undefined;
    if (outcome.kind === 'crash') {
      return { path: rel, status: 'failed', reason: 'engine-crash', message: `The engine failed on this file: ${outcome.message}`, sites: [] };
    }
    const result = outcome.result;
    if (result.status === 'error') {
      return { path: rel, status: 'failed', reason: 'parse-error', message: result.message, sites: [] };
    }
    let { sites, output } = result;
    if (output === undefined || output === read.text) return { path: rel, status: 'unchanged', sites };
    if (options.review) {
      const reviewed = await reviewFile(file, rel, read.text, result);
      if (reviewed === undefined) return undefined;
      if (reviewed.status === 'error') return { path: rel, status: 'failed', reason: 'engine-crash', message: reviewed.message, sites: [] };
      ({ sites, output } = reviewed);
      if (output === undefined || output === read.text) return { path: rel, status: 'unchanged', sites };
    }
    const imports = addsRuntimeImport(read.text, output);
    if (dryRun) {
      if (imports) importing.push(file);
      return { path: rel, status: 'rewritten', sites, diff: unifiedDiff(diffPath(file), read.text, output) };
    }

    // An interrupt that arrives before the write starts abandons the file; a write under way is finished.
    if (signal?.aborted) return undefined;
    const written = await writeIfUnchanged(file, read.bytes, output);
    if (written.kind === 'written') {
      if (imports) importing.push(file);
      return { path: rel, status: 'rewritten', sites, ...(options.diffs ? { diff: unifiedDiff(diffPath(file), read.text, output) } : {}) };
    }
    return {
      path: rel,
      status: 'failed',
      reason: written.kind === 'changed-on-disk' ? 'changed-on-disk' : 'write-error',
      message: written.message,
      sites,
    };
  };

  /**
   * Offers each slot's rewrite alone (one engine run per slot, selecting one of its sites), then runs the engine once
   * more with the accepted ones. Only what was shown can be written: a site that the full run rewrote but that could
   * not be shown alone stays `not-selected`. `undefined`: interrupted while under review.
   */
  const reviewFile = async (file: string, rel: string, text: string, full: FileResult & { status: 'ok' }): Promise<FileResult | undefined> => {
    const review = options.review!;
    const at = (site: SiteReport): string => `${site.line}:${site.column}`;
    const offered = new Set<string>();
    const rewrites: ProposedRewrite[] = [];
    for (const site of full.sites) {
      if (site.outcome !== 'rewritten' || offered.has(at(site))) continue;
      const alone = await runner.transform(file, text, { sites: [{ line: site.line, column: site.column }] });
      if (alone.kind === 'abandoned') return undefined;
      if (alone.kind !== 'result' || alone.result.status !== 'ok' || alone.result.output === undefined) continue;
      const shown = alone.result.sites.filter((each) => each.outcome === 'rewritten');
      for (const each of shown) offered.add(at(each));
      rewrites.push({ sites: shown, diff: unifiedDiff(diffPath(file), text, alone.result.output) });
    }
    const answer = await review({ path: rel, rewrites });
    if (signal?.aborted) return undefined;
    if (answer.stop) stopped = true;
    const accepted = [...new Set(answer.accepted)].flatMap((index) => rewrites[index]?.sites ?? []);
    const final = await runner.transform(file, text, { sites: accepted.map(({ line, column }) => ({ line, column })) });
    if (final.kind === 'abandoned') return undefined;
    if (final.kind === 'crash') return { status: 'error', message: `The engine failed on this file: ${final.message}` };
    // Only what was accepted may be written: an engine that ignored the selection leaves the file untouched.
    const chosen = new Set(accepted.map(at));
    if (final.result.status === 'ok' && final.result.sites.some((each) => each.outcome === 'rewritten' && !chosen.has(at(each)))) {
      return { status: 'error', message: 'The engine rewrote sites that were not accepted at review; the file was left untouched.' };
    }
    return final.result;
  };

  // Reading runs a little ahead of the engine so that threads never wait on the disk. Under review, files are offered
  // one at a time in walk order.
  const lanes = options.review ? 1 : runner.parallelism + 4;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < walked.files.length && !signal?.aborted && !stopped) {
      const file = walked.files[next++]!;
      const fileReport = await processFile(file);
      if (fileReport === undefined) continue;
      reports.push(fileReport);
      options.onProgress?.({ type: 'file', path: fileReport.path, status: fileReport.status });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, walked.files.length)) }, lane));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await runner.close();
  }
  // Also after an interrupt: the files already written need the dependency as much as in a full run.
  if (options.addDependency !== false) manifests.push(...(await addDependencies(importing, { dryRun, relative, diffPath })));
  return report(signal?.aborted ?? false);
}

/** FNV-1a over the path's UTF-16 code units: the same number on every machine and Node version. */
export function shardOf(relativePath: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < relativePath.length; i++) {
    hash ^= relativePath.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

async function addDependencies(
  files: readonly string[],
  paths: { readonly dryRun: boolean; readonly relative: (file: string) => string; readonly diffPath: (file: string) => string },
): Promise<ManifestReport[]> {
  const cache = new Map<string, string | undefined>();
  const manifests = new Set<string>();
  for (const file of files) {
    const manifest = nearestManifest(path.dirname(file), cache);
    if (manifest !== undefined) manifests.add(manifest);
  }
  if (manifests.size === 0) return [];
  const range = runtimeRange();
  const out: ManifestReport[] = [];
  for (const manifest of [...manifests].sort(compareStrings)) {
    const base = { path: paths.relative(manifest), dependency: RUNTIME_PACKAGE, range };
    const read = await readSource(manifest, DEFAULT_MAX_FILE_BYTES);
    if (read.kind !== 'text') {
      out.push({ ...base, status: 'failed', message: read.message });
      continue;
    }
    const edit = addRuntimeDependency(read.text, range);
    if (edit.kind === 'present') continue;
    if (edit.kind === 'invalid') {
      out.push({ ...base, status: 'failed', message: edit.message });
      continue;
    }
    if (paths.dryRun) {
      out.push({ ...base, status: 'would-add', diff: unifiedDiff(paths.diffPath(manifest), read.text, edit.text) });
      continue;
    }
    const written = await writeIfUnchanged(manifest, read.bytes, edit.text);
    out.push(written.kind === 'written' ? { ...base, status: 'added' } : { ...base, status: 'failed', message: written.message });
  }
  return out;
}

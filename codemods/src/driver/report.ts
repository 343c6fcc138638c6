import type { SiteReport, TransformSlug } from '../engine/types.js';
import { compareStrings } from './walk.js';

/**
 * - `rewritten`: the engine changed the file and it was written (with `--dry-run`: it would have been).
 * - `unchanged`: read and analysed; nothing to change.
 * - `skipped`: not analysed, on purpose (`reason` says why).
 * - `failed`: could not be processed or written; the file is untouched (`reason` and `message` say why).
 */
export type FileStatus = 'rewritten' | 'unchanged' | 'skipped' | 'failed';

/** Why a file was not analysed. */
export type FileSkipReason = 'binary' | 'too-large' | 'not-utf8' | 'unsupported-extension' | 'declaration-file';

/** Why a file could not be processed; every one of these makes the exit code 1. */
export type FileFailureReason = 'read-error' | 'parse-error' | 'engine-crash' | 'changed-on-disk' | 'write-error';

export interface FileReport {
  /** Relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly status: FileStatus;
  readonly reason?: FileSkipReason | FileFailureReason;
  /** A full sentence for skipped and failed files. */
  readonly message?: string;
  /**
   * The sites the engine reported, in source order. For a file that failed after the engine ran
   * (`changed-on-disk`, `write-error`) they describe what would have been done and are not counted in the summary.
   */
  readonly sites: readonly SiteReport[];
  /** With `--dry-run`, the unified diff of a `rewritten` file. */
  readonly diff?: string;
}

/** A site with its file, as listed in the report. */
export interface ReportedSite extends SiteReport {
  readonly file: string;
}

export interface ReportedError {
  readonly file: string;
  readonly reason: FileFailureReason;
  readonly message: string;
}

export interface CodemodSummary {
  /** Files found by walking the paths (and given explicitly). */
  readonly filesFound: number;
  /** Files processed to an outcome; fewer than `filesFound` only when the run was interrupted or stopped at review. */
  readonly filesScanned: number;
  readonly filesRewritten: number;
  readonly filesUnchanged: number;
  readonly filesSkipped: number;
  readonly filesFailed: number;
  readonly filesSkippedByReason: Readonly<Record<string, number>>;
  readonly filesFailedByReason: Readonly<Record<string, number>>;
  /** Sites in files that were rewritten or unchanged. */
  readonly sitesFound: number;
  readonly sitesRewritten: number;
  readonly sitesSkipped: number;
  readonly sitesSkippedByReason: Readonly<Record<string, number>>;
  readonly sitesByTransform: Readonly<Partial<Record<TransformSlug, number>>>;
  readonly dryRun: boolean;
  readonly typeAware: boolean;
  readonly interrupted: boolean;
  /** The interactive review was ended early: the files after the one it ended at were not offered. */
  readonly stoppedAtReview: boolean;
  /** Manifests that gained the runtime dependency (in a dry run: would gain it). */
  readonly manifestsChanged: number;
  /** A manifest was changed: the package manager's install must run before the rewritten code can load. */
  readonly installNeeded: boolean;
}

/**
 * A `package.json` that gained the runtime dependency because files under it now import the runtime:
 * `added` (written), `would-add` (dry run; `diff` shows the change), or `failed` (`message` says why; untouched).
 */
export interface ManifestReport {
  /** Relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly status: 'added' | 'would-add' | 'failed';
  readonly dependency: string;
  readonly range: string;
  readonly message?: string;
  readonly diff?: string;
}

/** The result of a run. The same input gives the same report, whatever the number of threads. */
export interface CodemodReport {
  /** Every file found, sorted by path. */
  readonly files: readonly FileReport[];
  /** Every site of the files that were rewritten or unchanged, sorted by file, line and column. */
  readonly sites: readonly ReportedSite[];
  /** Every failed file, sorted by path. */
  readonly errors: readonly ReportedError[];
  /** Manifests that gained (or, in a dry run, would gain) the runtime dependency, sorted by path. */
  readonly manifests: readonly ManifestReport[];
  readonly summary: CodemodSummary;
}

export function buildReport(
  files: readonly FileReport[],
  flags: {
    readonly filesFound: number;
    readonly dryRun: boolean;
    readonly typeAware: boolean;
    readonly interrupted: boolean;
    readonly stoppedAtReview?: boolean;
  },
  manifests: readonly ManifestReport[] = [],
): CodemodReport {
  const changedManifests = manifests.filter((manifest) => manifest.status !== 'failed').length;
  const sorted = [...files].sort((a, b) => compareStrings(a.path, b.path));
  const sites: ReportedSite[] = [];
  const errors: ReportedError[] = [];
  const count = (record: Record<string, number>, key: string): void => {
    record[key] = (record[key] ?? 0) + 1;
  };
  const filesSkippedByReason: Record<string, number> = {};
  const filesFailedByReason: Record<string, number> = {};
  const sitesSkippedByReason: Record<string, number> = {};
  const sitesByTransform: Partial<Record<TransformSlug, number>> = {};
  let sitesRewritten = 0;
  let sitesSkipped = 0;
  const statusCount: Record<FileStatus, number> = { rewritten: 0, unchanged: 0, skipped: 0, failed: 0 };

  for (const file of sorted) {
    statusCount[file.status]++;
    if (file.status === 'skipped') count(filesSkippedByReason, file.reason ?? 'unknown');
    if (file.status === 'failed') {
      const reason = (file.reason ?? 'read-error') as FileFailureReason;
      count(filesFailedByReason, reason);
      errors.push({ file: file.path, reason, message: file.message ?? '' });
      continue;
    }
    const ordered = [...file.sites].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const site of ordered) {
      sites.push({ file: file.path, ...site });
      sitesByTransform[site.transform] = (sitesByTransform[site.transform] ?? 0) + 1;
      if (site.outcome === 'rewritten') sitesRewritten++;
      else {
        sitesSkipped++;
        count(sitesSkippedByReason, site.reason ?? 'unknown');
      }
    }
  }

  return {
    files: sorted,
    sites,
    errors,
    manifests: [...manifests].sort((a, b) => compareStrings(a.path, b.path)),
    summary: {
      filesFound: flags.filesFound,
      filesScanned: sorted.length,
      filesRewritten: statusCount.rewritten,
      filesUnchanged: statusCount.unchanged,
      filesSkipped: statusCount.skipped,
      filesFailed: statusCount.failed,
      filesSkippedByReason: sortKeys(filesSkippedByReason),
      filesFailedByReason: sortKeys(filesFailedByReason),
      sitesFound: sitesRewritten + sitesSkipped,
      sitesRewritten,
      sitesSkipped,
      sitesSkippedByReason: sortKeys(sitesSkippedByReason),
      sitesByTransform: sortKeys(sitesByTransform),
      dryRun: flags.dryRun,
      typeAware: flags.typeAware,
      interrupted: flags.interrupted,
      stoppedAtReview: flags.stoppedAtReview ?? false,
      manifestsChanged: changedManifests,
      installNeeded: changedManifests > 0 && !flags.dryRun,
    },
  };
}

function sortKeys<T extends Record<string, number | undefined>>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b))) as T;
}

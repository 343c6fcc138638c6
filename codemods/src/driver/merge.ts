import { readFile } from 'node:fs/promises';
import { buildReport, type CodemodReport, type FileReport, type ManifestReport } from './report.js';

export type MergeOutcome = { readonly kind: 'merged'; readonly report: CodemodReport } | { readonly kind: 'error'; readonly message: string };

/**
 * Merges the `--json` reports of the shards of one run into the report the unsharded run would have printed: the
 * summary is recomputed from the files (each file carries its sites), so it is exact, not a sum of rounded parts.
 * A file listed by two reports is an error: the reports are not shards of one run.
 */
export function mergeReports(reports: readonly CodemodReport[]): MergeOutcome {
  const files: FileReport[] = [];
  const seen = new Set<string>();
  const manifests = new Map<string, ManifestReport>();
  let filesFound = 0;
  for (const report of reports) {
    for (const file of report.files) {
      if (seen.has(file.path)) return { kind: 'error', message: `The file \`${file.path}\` is in more than one report: merge the shards of one run.` };
      seen.add(file.path);
      files.push(file);
    }
    for (const manifest of report.manifests ?? []) if (!manifests.has(manifest.path)) manifests.set(manifest.path, manifest);
    filesFound += report.summary.filesFound;
  }
  const first = reports[0]!.summary;
  if (reports.some((report) => report.summary.dryRun !== first.dryRun)) {
    return { kind: 'error', message: 'Dry-run reports and write reports cannot be merged.' };
  }
  const report = buildReport(
    files,
    {
      filesFound,
      dryRun: first.dryRun,
      typeAware: reports.every((r) => r.summary.typeAware),
      interrupted: reports.some((r) => r.summary.interrupted),
      stoppedAtReview: reports.some((r) => r.summary.stoppedAtReview === true),
    },
    [...manifests.values()],
  );
  return { kind: 'merged', report };
}

/** Reads and merges report files; a file that cannot be read or is not a report is an error naming it. */
export async function mergeReportFiles(paths: readonly string[]): Promise<MergeOutcome> {
  const reports: CodemodReport[] = [];
  for (const file of paths) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      return { kind: 'error', message: `\`${file}\` is not a readable JSON report: ${error instanceof Error ? error.message : String(error)}` };
    }
    const candidate = parsed as Partial<CodemodReport> | null;
    if (candidate === null || typeof candidate !== 'object' || !Array.isArray(candidate.files) || typeof candidate.summary !== 'object') {
      return { kind: 'error', message: `\`${file}\` is not a report printed by \`lazy-init-codemod --json\`.` };
    }
    reports.push(candidate as CodemodReport);
  }
  return mergeReports(reports);
}

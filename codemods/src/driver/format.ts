import type pc from 'picocolors';
import type { CodemodReport } from './report.js';

export type Colors = ReturnType<typeof pc.createColors>;

function counts(record: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(record).map(([key, value]) => `${key} ${value ?? 0}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * The report for people: every site as `file:line:column` (clickable in most terminals and editors), failed and
 * skipped files with their reasons, then the summary. Diffs of a dry run come first, in file order.
 */
export function formatTextReport(report: CodemodReport, c: Colors): string {
  const out: string[] = [];
  const { summary } = report;

  if (summary.dryRun) {
    for (const file of report.files) if (file.diff) out.push(colorDiff(file.diff, c));
    for (const manifest of report.manifests) if (manifest.diff) out.push(colorDiff(manifest.diff, c));
  }

  if (report.sites.length > 0) {
    out.push(c.bold('Sites'));
    for (const site of report.sites) {
      const where = `${site.file}:${site.line}:${site.column}`;
      const head =
        site.outcome === 'rewritten'
          ? c.green(summary.dryRun ? 'would rewrite' : 'rewritten')
          : c.yellow(`skipped (${site.reason ?? 'unknown'})`);
      out.push(`  ${c.cyan(where)}  ${head}  ${c.dim(site.transform)}  \`${site.slot}\``);
      if (site.message) out.push(`      ${site.message}`);
    }
    out.push('');
  }

  if (report.errors.length > 0) {
    out.push(c.bold(c.red('Failed files')));
    for (const error of report.errors) out.push(`  ${c.cyan(error.file)}  ${c.red(error.reason)}  ${error.message}`);
    out.push('');
  }

  const skipped = report.files.filter((file) => file.status === 'skipped');
  if (skipped.length > 0) {
    out.push(c.bold('Skipped files'));
    for (const file of skipped) out.push(`  ${c.cyan(file.path)}  ${c.yellow(file.reason ?? 'unknown')}  ${file.message ?? ''}`);
    out.push('');
  }

  return out.join('\n') + (out.length > 0 ? '\n' : '') + formatSummary(report, c);
}

/** The summary block alone, as it ends the text report. */
export function formatSummary(report: CodemodReport, c: Colors): string {
  const out: string[] = [];
  const { summary } = report;
  out.push(c.bold(summary.dryRun ? 'Summary (dry run: nothing was written)' : 'Summary'));
  out.push(
    `  Files: ${summary.filesScanned} scanned, ` +
      `${summary.dryRun ? `would rewrite ${summary.filesRewritten}` : `${summary.filesRewritten} rewritten`}, ` +
      `${summary.filesUnchanged} unchanged, ` +
      `${summary.filesSkipped} skipped${counts(summary.filesSkippedByReason)}, ` +
      `${summary.filesFailed > 0 ? c.red(`${summary.filesFailed} failed`) : '0 failed'}${counts(summary.filesFailedByReason)}`,
  );
  out.push(
    `  Sites: ${summary.sitesFound} found, ` +
      `${summary.dryRun ? `would rewrite ${summary.sitesRewritten}` : `${summary.sitesRewritten} rewritten`}, ` +
      `${summary.sitesSkipped} skipped${counts(summary.sitesSkippedByReason)}`,
  );
  for (const manifest of report.manifests) {
    const what = `\`${manifest.dependency}\` ${manifest.range}`;
    if (manifest.status === 'failed') out.push(c.red(`  Manifest ${manifest.path}: could not add ${what}: ${manifest.message ?? ''}`));
    else out.push(`  Manifest ${c.cyan(manifest.path)}: ${manifest.status === 'added' ? 'added' : 'would add'} ${what} to dependencies`);
  }
  if (summary.installNeeded) out.push(c.yellow('  Run your package manager\'s install (npm install, pnpm install, yarn) before running the code.'));
  out.push(`  Type-aware: ${summary.typeAware ? 'yes' : 'no'}`);
  if (summary.interrupted) {
    out.push(
      c.yellow(
        `  Interrupted: ${summary.filesFound - summary.filesScanned} of ${summary.filesFound} files were not reached. ` +
          'Every file holds either its old or its new text.',
      ),
    );
  }
  if (summary.stoppedAtReview) {
    out.push(c.yellow(`  Stopped at review: ${summary.filesFound - summary.filesScanned} of ${summary.filesFound} files were not offered.`));
  }
  return out.join('\n') + '\n';
}

export function colorDiff(diff: string, c: Colors): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? c.bold(line)
        : line.startsWith('+')
          ? c.green(line)
          : line.startsWith('-')
            ? c.red(line)
            : line.startsWith('@@')
              ? c.cyan(line)
              : line,
    )
    .join('\n');
}

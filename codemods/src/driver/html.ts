import type { CodemodReport } from './report.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators that break it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly kind: 'rewritten' | 'skipped' | 'failed' | 'file';
}

/** A horizontal bar chart as inline SVG: it renders without script, and prints. */
function barChart(bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 26;
  const labelWidth = 260;
  const barWidth = 420;
  const height = bars.length * row + 8;
  const rows = bars.map((bar, i) => {
    const y = i * row + 4;
    const width = Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * barWidth));
    return (
      `<g class="bar bar-${bar.kind}" data-label="${escapeHtml(bar.label)}" data-value="${bar.value}">` +
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${width}" height="${row - 8}" rx="3"></rect>` +
      `<text x="${labelWidth + width + 6}" y="${y + 16}">${bar.value}</text></g>`
    );
  });
  return `<svg id="chart" role="img" aria-label="Sites by outcome and reason" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${rows.join('')}</svg>`;
}

/**
 * One self-contained HTML page for a run: the summary with a chart of site outcomes (skips by reason) and of files
 * that were not processed, then a table of every site that can be filtered by text, outcome and reason, each row
 * with the diff of its file's change. No external resources: styles, script and data are inline, so the page opens
 * from disk, from a CI artifact or an email. The table renders in pages, so a repository with thousands of files
 * stays responsive.
 */
export function renderHtmlReport(report: CodemodReport): string {
  const { summary } = report;
  const bars: Bar[] = [
    { label: summary.dryRun ? 'would rewrite' : 'rewritten', value: summary.sitesRewritten, kind: 'rewritten' },
    ...Object.entries(summary.sitesSkippedByReason).map(([reason, value]): Bar => ({ label: `skipped: ${reason}`, value, kind: 'skipped' })),
    ...Object.entries(summary.filesFailedByReason).map(([reason, value]): Bar => ({ label: `file failed: ${reason}`, value, kind: 'failed' })),
    ...Object.entries(summary.filesSkippedByReason).map(([reason, value]): Bar => ({ label: `file skipped: ${reason}`, value, kind: 'file' })),
  ];
  const diffs: Record<string, string> = {};
  for (const file of report.files) if (file.diff) diffs[file.path] = file.diff;
  const rows = [
    ...report.sites.map((site) => ({
      file: site.file,
      line: site.line,
      column: site.column,
      slot: site.slot,
      transform: site.transform,
      outcome: site.outcome,
      reason: site.reason ?? '',
      message: site.message ?? '',
    })),
    ...report.errors.map((error) => ({
      file: error.file,
      line: 0,
      column: 0,
      slot: '',
      transform: '',
      outcome: 'failed',
      reason: error.reason,
      message: error.message,
    })),
  ];
  const reasons = [...new Set(rows.map((row) => row.reason).filter((reason) => reason !== ''))].sort();
  const stat = (label: string, value: number | string): string => `<div class="stat"><span>${escapeHtml(String(value))}</span>${escapeHtml(label)}</div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lazy-init codemod report${summary.dryRun ? ' (dry run)' : ''}</title>
<style>
  :root { color-scheme: light dark; --ok: #2e7d32; --skip: #b26a00; --fail: #c62828; --file: #607d8b; font-family: system-ui, sans-serif; }
  body { margin: 1.5rem; }
  h1 { font-size: 1.4rem; }
  .stats { display: flex; flex-wrap: wrap; gap: .75rem; margin-bottom: 1rem; }
  .stat { border: 1px solid #8884; border-radius: 6px; padding: .5rem .8rem; min-width: 7rem; }
  .stat span { display: block; font-size: 1.4rem; font-weight: 600; }
  #chart text { font-size: 13px; fill: currentColor; }
  .bar-rewritten rect { fill: var(--ok); } .bar-skipped rect { fill: var(--skip); }
  .bar-failed rect { fill: var(--fail); } .bar-file rect { fill: var(--file); }
  .filters { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0 .5rem; align-items: center; }
  input, select, button { font: inherit; padding: .25rem .4rem; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #8883; vertical-align: top; }
  th { position: sticky; top: 0; background: Canvas; }
  td.file { font-family: ui-monospace, monospace; word-break: break-all; }
  .outcome-rewritten { color: var(--ok); } .outcome-skipped { color: var(--skip); } .outcome-failed { color: var(--fail); }
  pre.diff { margin: .3rem 0; padding: .5rem; background: #8881; overflow-x: auto; font-size: 12px; }
  pre.diff .add { color: var(--ok); } pre.diff .del { color: var(--fail); } pre.diff .hunk { color: #1e88e5; }
</style>
</head>
<body>
<h1>lazy-init codemod report${summary.dryRun ? ' — dry run, nothing was written' : ''}</h1>
<section class="stats" id="summary">
${stat('files scanned', summary.filesScanned)}
${stat(summary.dryRun ? 'files to rewrite' : 'files rewritten', summary.filesRewritten)}
${stat('sites found', summary.sitesFound)}
${stat(summary.dryRun ? 'sites to rewrite' : 'sites rewritten', summary.sitesRewritten)}
${stat('sites skipped', summary.sitesSkipped)}
${stat('files failed', summary.filesFailed)}
${stat('manifests changed', summary.manifestsChanged)}
</section>
${summary.interrupted ? '<p><strong>The run was interrupted:</strong> not every file was reached.</p>' : ''}
${summary.stoppedAtReview ? '<p><strong>The review was stopped early:</strong> not every file was offered.</p>' : ''}
<h2>Outcomes</h2>
${barChart(bars)}
<h2>Sites</h2>
<div class="filters">
  <input id="filter" type="search" placeholder="Filter by file, slot or message" aria-label="Filter">
  <select id="outcome" aria-label="Outcome"><option value="">every outcome</option><option value="rewritten">rewritten</option><option value="skipped">skipped</option><option value="failed">failed</option></select>
  <select id="reason" aria-label="Reason"><option value="">every reason</option>${reasons.map((reason) => `<option>${escapeHtml(reason)}</option>`).join('')}</select>
  <span id="count" aria-live="polite"></span>
</div>
<table id="sites">
<thead><tr><th>File</th><th>Line</th><th>Slot</th><th>Transform</th><th>Outcome</th><th>Reason</th><th>Message and diff</th></tr></thead>
<tbody></tbody>
</table>
<p><button id="more" type="button" hidden>Show more</button></p>
<script type="application/json" id="report-data">${scriptJson({ rows, diffs, dryRun: summary.dryRun })}</script>
<script>
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const body = document.querySelector('#sites tbody');
  const filter = document.getElementById('filter');
  const outcome = document.getElementById('outcome');
  const reason = document.getElementById('reason');
  const count = document.getElementById('count');
  const more = document.getElementById('more');
  const PAGE = 500;
  let shown = PAGE;
  let matching = data.rows;
  const cell = (text, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  };
  const diffBlock = (diff) => {
    const pre = document.createElement('pre');
    pre.className = 'diff';
    for (const line of diff.split('\\n')) {
      const span = document.createElement('span');
      if (line.startsWith('@@')) span.className = 'hunk';
      else if (line.startsWith('+') && !line.startsWith('+++')) span.className = 'add';
      else if (line.startsWith('-') && !line.startsWith('---')) span.className = 'del';
      span.textContent = line + '\\n';
      pre.append(span);
    }
    return pre;
  };
  const render = () => {
    body.replaceChildren();
    for (const row of matching.slice(0, shown)) {
      const tr = document.createElement('tr');
      tr.dataset.outcome = row.outcome;
      tr.append(cell(row.file, 'file'), cell(row.line ? String(row.line) : ''), cell(row.slot), cell(row.transform),
        cell(row.outcome === 'rewritten' && data.dryRun ? 'would rewrite' : row.outcome, 'outcome-' + row.outcome), cell(row.reason));
      const last = cell(row.message);
      const diff = data.diffs[row.file];
      if (diff && row.outcome === 'rewritten') {
        const details = document.createElement('details');
        const summary = document.createElement('summary');
        summary.textContent = 'diff';
        details.append(summary, diffBlock(diff));
        last.append(details);
      }
      tr.append(last);
      body.append(tr);
    }
    count.textContent = matching.length + ' of ' + data.rows.length + ' sites';
    more.hidden = matching.length <= shown;
  };
  const apply = () => {
    const text = filter.value.trim().toLowerCase();
    matching = data.rows.filter((row) =>
      (!outcome.value || row.outcome === outcome.value) &&
      (!reason.value || row.reason === reason.value) &&
      (!text || (row.file + ' ' + row.slot + ' ' + row.message + ' ' + row.transform).toLowerCase().includes(text)));
    shown = PAGE;
    render();
  };
  filter.addEventListener('input', apply);
  outcome.addEventListener('change', apply);
  reason.addEventListener('change', apply);
  more.addEventListener('click', () => { shown += PAGE; render(); });
  apply();
})();
</script>
</body>
</html>
`;
}

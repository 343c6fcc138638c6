/**
 * Detection benchmark: recall and precision of the rules on real code, against the labels of
 * `bench/detection/labels/` (schema and method in `bench/detection/README.md`).
 *
 * Every project of `bench/detection/manifest.json` found under `.bench-corpus/` is linted whole with every rule that
 * needs no type information; reports are matched to labels by file and line. A project that is missing, or checked
 * out at another commit than the manifest pins, is named in the notes and left out, since its labels would point at
 * the wrong lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusRoot } from './lib/corpus.js';
import { readManifest } from './detection/extract.js';
import { KINDS, readLabels } from './detection/labels.js';
import { lintProject, loadPlugin, untypedRuleIds } from './detection/lint-corpus.js';

const percent = (part, whole) => (whole === 0 ? 0 : (100 * part) / whole);

export default async function run({ log = () => {} }) {
  const plugin = await loadPlugin();
  const ruleIds = untypedRuleIds(plugin);
  const allLabels = readLabels();
  const { repositories } = readManifest();

  const absent = [];
  const projects = [];
  for (const entry of repositories) {
    const dir = path.join(corpusRoot, entry.name);
    const stamp = path.join(dir, '.commit');
    const commit = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
    if (commit !== entry.commit) absent.push(`\`${entry.name}\` (${commit ? `at ${commit.slice(0, 12)}, not the pinned commit` : 'not extracted'})`);
    else projects.push({ ...entry, dir });
  }
  if (projects.length === 0) {
    throw new Error(`no project of the manifest is under ${corpusRoot}: run \`node bench/detection/extract.js\` first`);
  }

  const reports = [];
  const crashes = [];
  const unparsed = [];
  let files = 0;
  let lines = 0;
  let lintMs = 0;
  for (const project of projects) {
    const start = performance.now();
    const result = lintProject(plugin, project.dir, ruleIds);
    const elapsed = performance.now() - start;
    lintMs += elapsed;
    log(`${project.name}: ${result.files} files, ${result.reports.length} reports, ${result.crashes.length} crashes, ${(elapsed / 1000).toFixed(1)} s`);
    files += result.files;
    lines += result.lines;
    for (const report of result.reports) reports.push({ project: project.name, ...report });
    for (const crash of result.crashes) crashes.push({ project: project.name, ...crash });
    for (const file of result.unparsed) unparsed.push({ project: project.name, ...file });
  }

  const measured = new Set(projects.map((project) => project.name));
  const labels = allLabels.filter((label) => measured.has(label.project));
  const key = (item) => `${item.project}\0${item.path}\0${item.line}`;
  const labelAt = new Map(labels.map((label) => [key(label), label]));
  const rulesAt = new Map();
  for (const report of reports) {
    const at = key(report);
    if (!rulesAt.has(at)) rulesAt.set(at, new Set());
    rulesAt.get(at).add(report.rule);
  }

  const positives = labels.filter((label) => label.label === 'positive');
  const negatives = labels.filter((label) => label.label === 'negative');
  const found = (label) => rulesAt.has(key(label));
  const missed = positives.filter((label) => !found(label));

  const rows = [];
  const recallRow = (group, name, part, whole, target) => ({
    group,
    name: `${name} (${part}/${whole})`,
    value: percent(part, whole),
    unit: '%',
    ...(target === undefined ? {} : { target: `≥ ${target}%`, met: percent(part, whole) >= target }),
  });
  const foundCount = positives.length - missed.length;
  rows.push(recallRow('Recall by kind', '**all kinds**', foundCount, positives.length, 95));
  for (const kind of Object.keys(KINDS)) {
    const ofKind = positives.filter((label) => label.kind === kind);
    if (ofKind.length > 0) rows.push(recallRow('Recall by kind', `\`${kind}\``, ofKind.filter(found).length, ofKind.length));
  }
  for (const rule of [...new Set(Object.values(KINDS))].sort()) {
    const expected = positives.filter((label) => KINDS[label.kind] === rule);
    const byRule = expected.filter((label) => rulesAt.get(key(label))?.has(rule));
    rows.push(recallRow('Recall by rule', `\`${rule}\``, byRule.length, expected.length));
  }

  // Precision counts reports, not lines: two rules on one negative line are two wrong flags.
  const onLabel = reports.filter((report) => labelAt.has(key(report)));
  const onPositive = onLabel.filter((report) => labelAt.get(key(report)).label === 'positive');
  const onNegative = onLabel.filter((report) => labelAt.get(key(report)).label === 'negative');
  const precision = percent(onPositive.length, onLabel.length);
  rows.push({
    group: 'Precision and robustness',
    name: `Labelled precision (${onPositive.length}/${onLabel.length} reports)`,
    value: precision,
    unit: '%',
    target: '≥ 98%',
    met: precision >= 98,
  });
  rows.push({ group: 'Precision and robustness', name: 'Rule crashes (file × rule)', value: crashes.length, unit: '', target: '0', met: crashes.length === 0 });
  rows.push({ group: 'Precision and robustness', name: 'Reports on unlabelled lines', value: reports.length - onLabel.length, unit: '' });
  rows.push({ group: 'Precision and robustness', name: 'Lint time, every untyped rule', value: lintMs / 1000, unit: 's' });

  const unlabelled = reports.filter((report) => !labelAt.has(key(report)));
  const where = (item) => `\`${item.project}/${item.path}:${item.line}\``;
  for (const report of unlabelled) log(`unlabelled: ${report.project}/${report.path}:${report.line} ${report.rule}: ${report.message}`);
  for (const label of missed) log(`missed: ${label.project}/${label.path}:${label.line} ${label.kind} ${label.slot}`);

  const negativeTraps = new Set(negatives.map((label) => label.trap));
  const notes = [
    `${positives.length} positives and ${negatives.length} negatives (${negativeTraps.size} trap categories) over ${measured.size} repositories. ` +
      'A positive is found when some rule reports on its line; a rule\'s recall counts only the positives of the kinds it is meant for (`KINDS` in `bench/detection/labels.js`).',
    ...(absent.length > 0 ? [`Left out: ${absent.join(', ')}.`] : []),
    ...(missed.length > 0 ? [`Missed positives: ${missed.map((label) => `${where(label)} (${label.kind})`).join(', ')}.`] : []),
    ...(onNegative.length > 0 ? [`Reports on negatives: ${onNegative.map((report) => `${where(report)} ${report.rule} (${labelAt.get(key(report)).trap})`).join(', ')}.`] : []),
    ...(unlabelled.length > 0 ? [`Reports on unlabelled lines, for review: ${unlabelled.map((report) => `${where(report)} ${report.rule}`).join(', ')}.`] : []),
    ...(crashes.length > 0 ? [`Crashes: ${crashes.map((crash) => `\`${crash.project}/${crash.path}\` ${crash.rule}: ${crash.message}`).join('; ')}.`] : []),
    ...(unparsed.length > 0 ? [`${unparsed.length} files do not parse with the TypeScript parser and were not linted.`] : []),
  ];

  return {
    title: 'Detection',
    intro:
      `Every rule that needs no type information (${ruleIds.map((id) => `\`${id}\``).join(', ')}) over ${files.toLocaleString('en')} files ` +
      `(${lines.toLocaleString('en')} lines) of ${projects.map((project) => `[${project.repo}](https://github.com/${project.repo}/tree/${project.commit})`).join(', ')}, ` +
      'tests and fixtures included, matched against the labels of `bench/detection/labels/`.',
    rows,
    notes,
  };
}

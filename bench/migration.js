/**
 * Migration benchmark: what the codemod's engine makes of the labelled sites of the detection corpus
 * (`bench/detection/`), without type information.
 *
 * Every file that holds a label is transformed once; each labelled line is then looked up among the engine's site
 * reports. A positive counts as migrated when its site was rewritten; otherwise it is counted by the reason the engine
 * gave (or as not detected). A negative is touched when a site on its line was rewritten. The output of every changed
 * file must parse, and transforming it a second time must change nothing.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from '@typescript-eslint/typescript-estree';
import { corpusRoot, repoRoot } from './lib/corpus.js';
import { readManifest } from './detection/extract.js';
import { readLabels } from './detection/labels.js';

const parses = (text, file) => {
  try {
    parse(text, { jsx: /\.[jt]sx$/.test(file), range: true, loc: false, comment: false });
    return true;
  } catch {
    return false;
  }
};

export default async function run({ log = () => {} }) {
  const { createEngine } = await import(pathToFileURL(path.join(repoRoot, 'codemods/dist/engine/index.js')).href);
  const engine = createEngine({ typeAware: false, preserveFailureCaching: false });
  const { repositories } = readManifest();
  const present = new Set(
    repositories
      .filter((entry) => {
        const stamp = path.join(corpusRoot, entry.name, '.commit');
        return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === entry.commit;
      })
      .map((entry) => entry.name),
  );
  const labels = readLabels().filter((label) => present.has(label.project));
  if (labels.length === 0) throw new Error('no labelled project is extracted: run `node bench/detection/extract.js` first');

  const byFile = new Map();
  for (const label of labels) {
    const key = `${label.project}/${label.path}`;
    if (!byFile.has(key)) byFile.set(key, []);
    byFile.get(key).push(label);
  }

  const outcomes = new Map(); // reason → count, for positives
  let migrated = 0;
  let positives = 0;
  let negativesTouched = 0;
  const touched = [];
  const parseBreaks = [];
  const unstable = [];
  const failed = [];
  let changedFiles = 0;
  const count = (reason) => outcomes.set(reason, (outcomes.get(reason) ?? 0) + 1);
  for (const [key, fileLabels] of byFile) {
    const file = path.join(corpusRoot, key);
    const text = readFileSync(file, 'utf8');
    const result = engine.transform(file, text);
    if (result.status !== 'ok') {
      failed.push(key);
      for (const label of fileLabels) {
        if (label.label !== 'positive') continue;
        positives++;
        count('file-not-processed');
      }
      continue;
    }
    const sitesAt = new Map();
    for (const site of result.sites) {
      if (!sitesAt.has(site.line)) sitesAt.set(site.line, []);
      sitesAt.get(site.line).push(site);
    }
    for (const label of fileLabels) {
      const sites = sitesAt.get(label.line) ?? [];
      const rewritten = sites.some((site) => site.outcome === 'rewritten');
      if (label.label === 'positive') {
        positives++;
        if (rewritten) migrated++;
        else count(sites[0]?.reason ?? 'not-detected');
      } else if (rewritten) {
        negativesTouched++;
        touched.push(`\`${key}:${label.line}\` (${label.trap})`);
      }
    }
    if (result.output !== undefined && result.output !== text) {
      changedFiles++;
      if (!parses(result.output, file)) parseBreaks.push(key);
      const again = engine.transform(file, result.output);
      if (again.status !== 'ok' || (again.output !== undefined && again.output !== result.output)) unstable.push(key);
    }
  }
  log(`${byFile.size} labelled files, ${changedFiles} changed; ${migrated}/${positives} positives rewritten`);

  const share = (100 * migrated) / positives;
  const reasons = [...outcomes].sort((a, b) => b[1] - a[1]);
  return {
    title: 'Migration',
    intro:
      `The codemod's engine (no type information) over the ${byFile.size} files of the detection corpus that hold a label ` +
      `(${positives} positives, ${labels.length - positives} negatives, ${present.size} repositories); a labelled line counts as rewritten when the site the engine reports on it was rewritten.`,
    rows: [
      { name: `Labelled positives rewritten (${migrated}/${positives})`, value: share, unit: '%', target: '≥ 70%', met: share >= 70 },
      { name: 'Labelled negatives touched', value: negativesTouched, unit: '', target: '0', met: negativesTouched === 0 },
      { name: `Changed files whose output does not parse (of ${changedFiles})`, value: parseBreaks.length, unit: '', target: '0', met: parseBreaks.length === 0 },
      { name: 'Changed files that a second run changes again', value: unstable.length, unit: '', target: '0', met: unstable.length === 0 },
    ],
    notes: [
      `Positives left as they are, by reason: ${reasons.map(([reason, n]) => `\`${reason}\` ${n}`).join(', ')}. \`not-detected\`: the analysis finds no site on the line.`,
      ...(touched.length > 0 ? [`Negatives rewritten: ${touched.join(', ')}.`] : []),
      ...(parseBreaks.length > 0 ? [`Outputs that do not parse: ${parseBreaks.map((key) => `\`${key}\``).join(', ')}.`] : []),
      ...(unstable.length > 0 ? [`Outputs a second run changes: ${unstable.map((key) => `\`${key}\``).join(', ')}.`] : []),
      ...(failed.length > 0 ? [`Files the engine could not process: ${failed.map((key) => `\`${key}\``).join(', ')}.`] : []),
      'Not measured by this run: type-aware runs, and `tsc --noEmit` before and after the rewrite of whole repositories with the runtime installed (see "Type-checked migration of real repositories" below, checked by hand).',
    ],
  };
}

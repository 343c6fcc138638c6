/**
 * Lint benchmark: what our `recommended` config adds to an ESLint run.
 *
 * The same ESLint `Linter`, the same parser (typescript-eslint, no type information) and the same files are linted
 * twice per round: once with no rules at all (parsing, scope analysis and traversal only) and once with the plugin's
 * `recommended` config (and, in a full run, once with each of its rules alone). Each file is linted by every
 * configuration back to back, in an order rotated from file to file, over several rounds; a file's time under a
 * configuration is its fastest, so time taken by other processes on a shared machine counts against neither side.
 *
 * The corpus is real TypeScript from the projects checked out under `.bench-corpus/<project>/` (or the folder
 * `LAZY_INIT_BENCH_CORPUS` names), sampled evenly across projects up to a byte budget. Without those projects it
 * falls back to the JavaScript that ESLint and typescript-eslint ship in `node_modules`, and says so in its notes.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { corpusProjects, corpusRoot, listSources, sample } from './lib/corpus.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function findCorpus(budget) {
  const projects = corpusProjects(/\.[cm]?tsx?$/);
  if (projects.length > 0) {
    return { files: sample(projects, budget), description: `TypeScript from ${projects.map((p) => `\`${p.name}\``).join(', ')}`, fallback: false };
  }
  const shipped = ['eslint/lib', '@typescript-eslint/typescript-estree/dist', '@typescript-eslint/eslint-plugin/dist', 'typescript-eslint/dist']
    .map((dir) => path.join(root, 'node_modules', dir))
    .filter((dir) => existsSync(dir))
    .map((dir) => ({ name: path.relative(path.join(root, 'node_modules'), dir), files: listSources(dir, /\.js$/) }));
  return {
    files: sample(shipped, budget),
    description: `FALLBACK: no projects under \`${corpusRoot}\`, so the JavaScript shipped in \`node_modules\` (${shipped.map((p) => `\`${p.name}\``).join(', ')})`,
    fallback: true,
  };
}

export default async function run({ quick, log = () => {} }) {
  const plugin = (await import(pathToFileURL(path.join(root, 'eslint-plugin/dist/index.js')).href)).default;
  const budget = quick ? 500_000 : 1_200_000;
  const rounds = quick ? 3 : 7;
  const corpus = findCorpus(budget);
  const linter = new Linter({ configType: 'flat' });

  const base = {
    files: ['**/*.{ts,tsx,mts,cts,js}'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: false } } },
  };
  const parseOnly = [base];
  const recommended = [base, plugin.configs.recommended];
  const alone = Object.keys(plugin.configs.recommended.rules).map((ruleId) => ({
    ruleId: ruleId.replace(`${plugin.meta.namespace}/`, ''),
    config: [base, { plugins: plugin.configs.recommended.plugins, rules: { [ruleId]: 'error' } }],
  }));

  // Read once, and keep only the files that parse: a parse error would end the run before the rules do any work.
  const inputs = [];
  let skipped = 0;
  for (const [index, { file }] of corpus.files.entries()) {
    const text = readFileSync(file, 'utf8');
    // The extension decides JSX parsing; the name only has to match the config's `files`.
    const extension = file.endsWith('.tsx') ? '.tsx' : file.endsWith('.js') ? '.js' : '.ts';
    const filename = path.join(root, '.bench-tmp', `file-${index}${extension}`);
    if (linter.verify(text, parseOnly, filename).some((message) => message.fatal)) skipped++;
    else inputs.push({ text, filename });
  }
  const bytes = inputs.reduce((sum, input) => sum + input.text.length, 0);
  const lines = inputs.reduce((sum, input) => sum + input.text.split('\n').length, 0);
  log(`${inputs.length} files, ${lines} lines, ${(bytes / 1e6).toFixed(2)} MB (${skipped} skipped: parse errors)`);

  let reportCount = 0;
  const pass = (config, count = false) => {
    globalThis.gc?.();
    const start = performance.now();
    for (const { text, filename } of inputs) {
      const messages = linter.verify(text, config, filename);
      if (count) reportCount += messages.length;
      for (const message of messages) if (message.fatal) throw new Error(`${filename}: ${message.message}`);
    }
    return performance.now() - start;
  };

  // Warm-up: JIT the parser and the rules, and check that no rule crashes on the corpus.
  pass(parseOnly);
  pass(recommended, true);
  log(`recommended reports ${reportCount} problems on the corpus`);

  // A round lints every file once per configuration, back to back, in an order rotated from file to file. Each
  // file's time under a configuration is its fastest over the rounds: the work is deterministic, so anything above the
  // minimum is other processes taking the CPU (the machine is shared), which must not count against either side.
  const tasks = [
    { name: 'parse', config: parseOnly },
    { name: 'recommended', config: recommended },
    ...(quick ? [] : alone.map(({ ruleId, config }) => ({ name: ruleId, config }))),
  ];
  const fastest = tasks.map(() => new Float64Array(inputs.length).fill(Infinity));
  const roundRatios = [];
  for (let round = 0; round < rounds; round++) {
    globalThis.gc?.();
    const totals = tasks.map(() => 0);
    for (const [index, { text, filename }] of inputs.entries()) {
      for (let k = 0; k < tasks.length; k++) {
        const t = (k + index + round) % tasks.length;
        const start = performance.now();
        linter.verify(text, tasks[t].config, filename);
        const elapsed = performance.now() - start;
        totals[t] += elapsed;
        if (elapsed < fastest[t][index]) fastest[t][index] = elapsed;
      }
    }
    roundRatios.push(totals[1] / totals[0]);
    log(`round ${round + 1}/${rounds}: ${tasks.map((task, t) => `${task.name} ${totals[t].toFixed(0)} ms`).join(', ')}`);
  }
  const sum = (values) => values.reduce((total, value) => total + value, 0);
  const totalOf = tasks.map((_, t) => sum(fastest[t]));
  const row = (t, group, name) => ({ group, name, value: totalOf[t], unit: 'ms', baseline: 'no rules', ratio: totalOf[t] / totalOf[0] });
  const whole = row(1, 'Whole corpus', 'ESLint, `recommended`');
  const rows = [
    { group: 'Whole corpus', name: 'ESLint, no rules (parse only)', value: totalOf[0], unit: 'ms' },
    { ...whole, target: '≤ 1.10x', met: whole.ratio <= 1.1 },
    ...tasks.slice(2).map((task, i) => row(i + 2, 'Each rule alone', `\`${task.name}\``)),
  ];

  return {
    title: 'Lint',
    intro:
      `ESLint ${Linter.version} \`Linter#verify\` over ${inputs.length} files (${lines.toLocaleString('en')} lines, ` +
      `${(bytes / 1e6).toFixed(1)} MB) of ${corpus.description}, parsed by \`@typescript-eslint/parser\` without type information. ` +
      `${rounds} rounds; a round lints each file once per configuration, back to back in rotated order. A value is the sum over files of each file's fastest time, and a ratio compares those sums.`,
    rows,
    notes: [
      `The baseline is the same \`Linter\` with the same parser and no rules: parsing, scope analysis and traversal. ` +
        `The \`recommended\` run reported ${reportCount} problems on this corpus.`,
      `Whole-round ratios of \`recommended\` (noisier: they include time other processes took): ${roundRatios.map((ratio) => `${ratio.toFixed(2)}x`).join(', ')}.`,
      ...(skipped > 0 ? [`${skipped} sampled files that do not parse with the TypeScript parser were left out.`] : []),
      ...(corpus.fallback ? ['This run used the fallback corpus: the figures are not comparable with runs on real TypeScript projects.'] : []),
    ],
  };
}

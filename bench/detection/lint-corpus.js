#!/usr/bin/env node
/**
 * Runs the plugin's rules over a project of the detection corpus and collects what they report:
 *
 *   node bench/detection/lint-corpus.js <name> [--unlabelled]
 *
 * prints one line per report, `path:line:column rule message`, with paths relative to the repository root (the
 * form the labels use); `--unlabelled` prints only the reports that no label of that project is on. Every rule
 * that needs no type information runs, over every source file of the project, tests included. A rule that throws
 * is a crash: the file is linted again rule by rule, so each crash is charged to its rule and the other rules'
 * reports on that file still count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { corpusRoot, listSources, repoRoot } from '../lib/corpus.js';
import { readLabels } from './labels.js';

export const SOURCE = /\.([cm]?[jt]s|[jt]sx)$/;
/** The detection corpus is read whole, tests, fixtures and folders named `build` included. */
const ONLY_DEPENDENCIES = new Set(['node_modules']);

export async function loadPlugin() {
  return (await import(pathToFileURL(path.join(repoRoot, 'eslint-plugin/dist/index.js')).href)).default;
}

/** Rule ids (without the namespace) that run without type information. */
export function untypedRuleIds(plugin) {
  return Object.entries(plugin.rules)
    .filter(([, rule]) => !rule.meta.docs.requiresTypeChecking)
    .map(([id]) => id)
    .sort();
}

/**
 * Lints every source file of `dir` with each rule of `ruleIds`. Returns the reports (`{ path, line, column, rule,
 * message }`, `path` relative to `dir`), the crashes (`{ path, rule, message }`), the files that do not parse and
 * the counts of files and lines read.
 */
export function lintProject(plugin, dir, ruleIds) {
  const linter = new Linter({ configType: 'flat', cwd: dir });
  // The projects' own inline directives name rules this run does not load; they are ignored, not reported.
  const base = {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: { parser: tsParser },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
  };
  const pluginEntry = { [plugin.meta.namespace]: plugin };
  const configFor = (ids) => [
    base,
    { plugins: pluginEntry, rules: Object.fromEntries(ids.map((id) => [`${plugin.meta.namespace}/${id}`, 'error'])) },
  ];
  const all = configFor(ruleIds);
  const reports = [];
  const crashes = [];
  const unparsed = [];
  let files = 0;
  let lines = 0;
  for (const file of listSources(dir, SOURCE, [], ONLY_DEPENDENCIES).sort()) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    files++;
    lines += text.split('\n').length;
    const filename = file;
    let messages;
    try {
      messages = linter.verify(text, all, filename);
    } catch {
      messages = [];
      for (const id of ruleIds) {
        try {
          messages.push(...linter.verify(text, configFor([id]), filename));
        } catch (error) {
          crashes.push({ path: relative, rule: id, message: String(error?.message ?? error).split('\n')[0] });
        }
      }
    }
    const fatal = messages.find((message) => message.fatal);
    if (fatal) {
      unparsed.push({ path: relative, message: fatal.message });
      continue;
    }
    for (const message of messages) {
      if (!message.ruleId?.startsWith(`${plugin.meta.namespace}/`)) continue;
      reports.push({
        path: relative,
        line: message.line,
        column: message.column,
        rule: message.ruleId.slice(plugin.meta.namespace.length + 1),
        message: message.message,
      });
    }
  }
  return { reports, crashes, unparsed, files, lines };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(repoRoot, 'bench/detection/lint-corpus.js')) {
  const [name, ...flags] = process.argv.slice(2);
  if (!name || flags.some((flag) => flag !== '--unlabelled')) {
    process.stderr.write('usage: node bench/detection/lint-corpus.js <name> [--unlabelled]\n');
    process.exit(2);
  }
  const plugin = await loadPlugin();
  const result = lintProject(plugin, path.join(corpusRoot, name), untypedRuleIds(plugin));
  const labelled = new Set(readLabels().filter((label) => label.project === name).map((label) => `${label.path}:${label.line}`));
  for (const report of result.reports) {
    if (flags.includes('--unlabelled') && labelled.has(`${report.path}:${report.line}`)) continue;
    process.stdout.write(`${report.path}:${report.line}:${report.column} ${report.rule} ${report.message}\n`);
  }
  for (const crash of result.crashes) process.stdout.write(`CRASH ${crash.path} ${crash.rule} ${crash.message}\n`);
  for (const file of result.unparsed) process.stdout.write(`UNPARSED ${file.path} ${file.message}\n`);
  process.stderr.write(`${result.files} files, ${result.lines} lines, ${result.reports.length} reports, ${result.crashes.length} crashes, ${result.unparsed.length} unparsed\n`);
}

#!/usr/bin/env node
/**
 * Entry of `npm run bench`.
 *
 *   node bench/run.js [area...] [--quick] [--write]
 *
 * Every `bench/<area>.js` file next to this one is a benchmark area (`runtime`, `lint`, `codemod`, ...). With no
 * area named, all of them run, in alphabetical order. `--quick` asks each area for a shorter, noisier run (useful
 * while editing a benchmark). `--write` rewrites the area's section of `BENCHMARKS.md`, the text between
 * `<!-- bench:<area>:start -->` and `<!-- bench:<area>:end -->` (appended at the end when the markers are missing).
 *
 * Contract of an area module:
 *
 *   export default async function run({ quick, log }) {
 *     return {
 *       title: 'Runtime',                  // heading of the section
 *       intro?: 'one paragraph of markdown', // printed above the tables
 *       rows: [{
 *         group?: 'Ready path',             // rows with the same group form one table, in first-seen order
 *         name: '`OnceCell#get`',           // what was measured, as markdown
 *         value: 1.23, unit: 'ns/op',       // the measurement
 *         baseline?: 'hand-rolled slot',    // what `ratio` compares against
 *         ratio?: 1.02,                     // value / baseline value, measured in the same run
 *         target?: '≤ 1.10x',               // the goal, as shown to readers
 *         met?: true,                       // whether the target is met; required when `target` is given
 *       }],
 *       notes?: ['markdown paragraph', ...], // printed under the tables (method, caveats, missed targets)
 *     };
 *   }
 *
 * `log(message)` prints progress on stderr. Each area runs in its own Node process started with `--expose-gc`
 * (so `globalThis.gc` exists) and with this repository as working directory, so one area's JIT warm-up and heap do
 * not leak into the next. run.js records the machine (CPU model, cores, memory, Node version, date) with every
 * section it writes. It exits with status 1 when an area fails; a missed target is reported, not an error, because
 * speed is a measurement here, not a test.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const benchmarksFile = path.join(root, 'BENCHMARKS.md');
const childFlag = '--bench-child';

if (process.argv[2] === childFlag) {
  await runChild(process.argv[3], process.argv.includes('--quick'));
} else {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
  }
}

async function runChild(area, quick) {
  const module = await import(path.join(here, `${area}.js`));
  if (typeof module.default !== 'function') {
    throw new TypeError(`\`bench/${area}.js\` must default-export \`async function run({ quick, log })\`.`);
  }
  const log = (message) => process.stderr.write(`  [${area}] ${message}\n`);
  const result = await module.default({ quick, log });
  validate(area, result);
  process.send({ result });
}

function validate(area, result) {
  if (result === null || typeof result !== 'object' || typeof result.title !== 'string' || !Array.isArray(result.rows)) {
    throw new TypeError(`\`bench/${area}.js\` must resolve to \`{ title, rows, notes? }\`.`);
  }
  for (const row of result.rows) {
    if (typeof row.name !== 'string' || typeof row.value !== 'number' || typeof row.unit !== 'string') {
      throw new TypeError(`Every row of \`bench/${area}.js\` needs \`name\`, a numeric \`value\` and \`unit\`.`);
    }
    if (row.target !== undefined && typeof row.met !== 'boolean') {
      throw new TypeError(`Row \`${row.name}\` of \`bench/${area}.js\` has a \`target\` but no boolean \`met\`.`);
    }
  }
}

async function main(argv) {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  for (const flag of flags) {
    if (flag !== '--quick' && flag !== '--write') throw new TypeError(`Unknown option \`${flag}\`.`);
  }
  const known = readdirSync(here)
    .filter((file) => file.endsWith('.js') && file !== 'run.js')
    .map((file) => file.slice(0, -3))
    .sort();
  const asked = argv.filter((arg) => !arg.startsWith('--'));
  for (const area of asked) {
    if (!known.includes(area)) {
      throw new TypeError(`No benchmark area \`${area}\`: expected one of ${known.map((k) => `\`${k}\``).join(', ')}.`);
    }
  }
  const areas = asked.length > 0 ? asked : known;
  const quick = flags.has('--quick');
  const machine = describeMachine();
  let failed = false;
  for (const area of areas) {
    process.stderr.write(`bench: ${area}${quick ? ' (quick)' : ''}\n`);
    let result;
    try {
      result = await runInChild(area, quick);
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: ${area} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      continue;
    }
    const markdown = renderArea(result, { ...machine, quick });
    process.stdout.write(`\n${markdown}\n`);
    if (flags.has('--write')) {
      if (quick) {
        process.stderr.write('bench: not writing a `--quick` run to BENCHMARKS.md.\n');
      } else {
        writeSection(area, markdown);
        process.stderr.write(`bench: wrote the \`${area}\` section of BENCHMARKS.md\n`);
      }
    }
  }
  if (failed) process.exitCode = 1;
}

function runInChild(area, quick) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [childFlag, area, ...(quick ? ['--quick'] : [])], {
      cwd: root,
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result;
    child.on('message', (message) => {
      result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`the area's process exited with ${signal ?? `code ${code}`}`));
    });
  });
}

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    // Ratios hold up under load better than absolute figures do; the load says how much to trust the latter.
    load: os.loadavg()[0],
  };
}

function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function renderArea(result, machine) {
  const lines = [`## ${result.title}`, ''];
  lines.push(
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memory}), Node ${machine.node}, ` +
      `${machine.os}, load average ${machine.load.toFixed(1)} at the start${machine.quick ? ', quick run' : ''}.`,
    '',
  );
  if (result.intro) lines.push(result.intro, '');
  const groups = new Map();
  for (const row of result.rows) {
    const group = row.group ?? '';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(row);
  }
  for (const [group, rows] of groups) {
    if (group) lines.push(`### ${group}`, '');
    const hasRatio = rows.some((row) => row.ratio !== undefined);
    const hasTarget = rows.some((row) => row.target !== undefined);
    const header = ['', 'value'];
    if (hasRatio) header.push('ratio', 'against');
    if (hasTarget) header.push('target', '');
    lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const row of rows) {
      const cells = [row.name, `${formatNumber(row.value)} ${row.unit}`];
      if (hasRatio) {
        // A miss by less than the rounding would print as, e.g., `1.15x` against `≤ 1.15x`: show one more digit then.
        const digits = row.met === false ? 3 : 2;
        cells.push(row.ratio === undefined ? '' : `${row.ratio.toFixed(digits)}x`, row.baseline ?? '');
      }
      if (hasTarget) {
        cells.push(row.target ?? '', row.target === undefined ? '' : row.met ? 'met' : '**missed**');
      }
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  for (const note of result.notes ?? []) lines.push(note, '');
  return lines.join('\n').trimEnd() + '\n';
}

function writeSection(area, markdown) {
  const start = `<!-- bench:${area}:start -->`;
  const end = `<!-- bench:${area}:end -->`;
  const block = `${start}\n${markdown}${end}`;
  const current = existsSync(benchmarksFile)
    ? readFileSync(benchmarksFile, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench -- --write`. Ratios are measured in one run, so machine noise cancels.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(benchmarksFile, next);
}

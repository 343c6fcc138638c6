/**
 * Codemod benchmark: wall time of the `lazy-init-codemod` command line against the tools it could be compared with.
 *
 * Every measurement is a fresh Node process, timed from spawn to exit, so start-up and module loading count on both
 * sides. Commands are run in interleaved rounds after one warm-up round (which also fills the file cache), and each
 * ratio is the median of the per-round ratios, so drift in machine load cancels.
 *
 * - Whole corpus, no types: `lazy-init-codemod --dry-run --json --no-type-aware --cpus 1` against a process that only
 *   reads and parses the same files with `@typescript-eslint/typescript-estree` (the options the engine plans edits
 *   with: tokens and comments included, although the engine converts only the files its screen passes),
 *   against `jscodeshift --run-in-band` running each of our transform modules in turn, and against
 *   `eslint --fix-dry-run` with the plugin's `recommended` config.
 * - Type-aware: `lazy-init-codemod --type-aware --dry-run --json --cpus 1` on a project against `tsc --noEmit` on it,
 *   on a project tsc really type-checks (one whose dependencies are missing makes tsc stop before checking), and
 *   against a process that only builds and binds that project's TypeScript program, the floor of any type-aware tool.
 *
 * The corpus is real TypeScript from the projects checked out under `.bench-corpus/<project>/` (or the folder
 * `LAZY_INIT_BENCH_CORPUS` names), sampled evenly across projects up to a byte budget and copied flat into a
 * temporary directory (so no directory name or ignore file decides what each tool sees). Without those projects it
 * falls back to this repository's TypeScript sources and the JavaScript ESLint and typescript-eslint ship in
 * `node_modules`, and says so. Without a built rewrite engine nothing is measured and the notes say why.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusProjects, corpusRoot, listSources, sample } from './lib/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const cli = path.join(root, 'codemods/dist/cli.js');
const engineEntry = path.join(root, 'codemods/dist/engine/index.js');
const transformsDir = path.join(root, 'codemods/dist/transforms');
const pluginEntry = path.join(root, 'eslint-plugin/dist/index.js');
const SLUGS = ['module-lazy-slot', 'static-singleton', 'instance-memo', 'promise-cache', 'async-init-race'];
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d(\.[^./]+)?\.[cm]?ts$/;
const JSX = /\.(?:tsx|jsx|js|mjs|cjs)$/;
/**
 * `tsc --noEmit` without build info: an incremental or composite project would otherwise skip checking when its
 * `.tsbuildinfo` says nothing changed. The engine builds its program without build info too.
 */
const TSC_FLAGS = ['--noEmit', '--incremental', 'false', '--composite', 'false'];

// Child mode: the parse-only baseline, `node bench/codemod.js --parse-only <file listing paths>`.
if (process.argv[2] === '--parse-only') await parseOnly(process.argv[3]);
// Child mode: the program-only baseline, `node bench/codemod.js --program-only <tsconfig.json>`.
if (process.argv[2] === '--program-only') await programOnly(process.argv[3]);

/** Builds and binds the project's program with the type-aware engine's own code, and does nothing else. */
async function programOnly(tsconfig) {
  const { ProjectTypes } = await import(pathToFileURL(path.join(root, 'codemods/dist/engine/type-program.js')).href);
  const project = new ProjectTypes(tsconfig);
  process.stdout.write(JSON.stringify({ files: project.program.getSourceFiles().length }));
}

async function parseOnly(listFile) {
  const { parse } = await import('@typescript-eslint/typescript-estree');
  const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const failed = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    try {
      parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
        filePath: file,
        range: true,
        loc: true,
        tokens: true,
        comment: true,
        jsx: JSX.test(file),
      });
    } catch {
      failed.push(file);
    }
  }
  process.stdout.write(JSON.stringify({ files: files.length, failed }));
}

function findCorpus(budget) {
  const real = corpusProjects(/\.[cm]?tsx?$/);
  if (real.length > 0) {
    return {
      files: sample(real, budget),
      projects: real,
      description: `TypeScript from ${real.map((p) => `\`${p.name}\``).join(', ')}`,
      fallback: false,
    };
  }
  const projects = [
    ...['runtime/src', 'eslint-plugin/src', 'codemods/src'].map((dir) => ({ name: dir.split('/')[0], dir: path.join(root, dir) })),
    ...['eslint/lib', '@typescript-eslint/typescript-estree/dist', 'typescript-eslint/dist'].map((dir) => ({
      name: dir.replace(/\W+/g, '-'),
      dir: path.join(root, 'node_modules', dir),
    })),
  ]
    .filter((project) => existsSync(project.dir))
    .map((project) => ({ ...project, files: listSources(project.dir, SOURCE) }))
    .filter((project) => project.files.length > 0);
  return {
    files: sample(projects, budget),
    projects: [],
    description:
      `FALLBACK: no projects under \`${corpusRoot}\`, so this repository's TypeScript sources and the JavaScript ` +
      `shipped in \`node_modules\` (${projects.map((p) => `\`${p.name}\``).join(', ')})`,
    fallback: true,
  };
}

function nearestTsconfig(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'tsconfig.json'))) return path.join(dir, 'tsconfig.json');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The project for the type-aware comparison: the first real project whose root `tsconfig.json` holds at least 20 of
 * the project's own source files (`tsc --listFilesOnly`) and that `tsc --noEmit` really type-checks, else this
 * repository's codemod package. tsc stops before checking when the project's setup fails (a type library named in
 * `types` that is not installed): comparing with such a run would compare with parsing alone. The codemod is given
 * exactly those files, the first one chosen so that its nearest `tsconfig.json` is that same one. Projects passed
 * over are listed in `passed`, with tsc's first message.
 */
async function findTypedProject(projects, tscBin) {
  const passed = [];
  const candidates = [
    ...projects.map((project) => ({ name: project.name, dir: project.dir, fallback: false })),
    { name: 'codemods', dir: path.join(root, 'codemods'), fallback: true },
  ];
  for (const candidate of candidates) {
    const tsconfig = path.join(candidate.dir, 'tsconfig.json');
    if (!existsSync(tsconfig)) continue;
    const listed = await timeNode([tscBin, '--listFilesOnly', '-p', tsconfig], { cwd: candidate.dir, accept: [0, 1, 2] });
    const own = listed.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => path.resolve(line.trim()))
      .filter((file) => file.startsWith(candidate.dir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`))
      .filter((file) => SOURCE.test(file) && !DECLARATION.test(file))
      .sort();
    const first = own.findIndex((file) => nearestTsconfig(file) === tsconfig);
    if (own.length < 20 || first === -1) continue;
    const checked = await timeNode([tscBin, ...TSC_FLAGS, '--extendedDiagnostics', '-p', tsconfig], { cwd: candidate.dir, accept: [0, 1, 2] });
    if (!/^Check time:/m.test(checked.stdout)) {
      const reason = checked.stdout.split('\n').find((line) => /error TS\d+/.test(line))?.trim() ?? 'no `Check time` reported';
      passed.push({ name: candidate.name, reason });
      continue;
    }
    own.unshift(...own.splice(first, 1));
    return { project: { ...candidate, tsconfig, files: own }, passed };
  }
  return { project: undefined, passed };
}

/** Runs `node <args>` and resolves with its wall time, from spawn to exit. */
function timeNode(args, { cwd, accept = [0] }) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (!accept.includes(code)) {
        reject(new Error(`\`node ${args.map((a) => path.relative(cwd, a) || a).join(' ').slice(0, 200)}\` exited with ${code}: ${stderr.slice(0, 2000)}`));
      } else {
        resolve({ ms, code, stdout, stderr });
      }
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const SLUG_ROWS = (missing) =>
  missing.length > 0
    ? [`jscodeshift was not measured for ${missing.map((s) => `\`${s}\``).join(', ')}: \`codemods/dist/transforms/<slug>.js\` is missing.`]
    : [];

export default async function run({ quick, log = () => {} }) {
  const title = 'Codemod';
  if (!existsSync(cli) || !existsSync(engineEntry)) {
    return {
      title,
      rows: [],
      notes: [
        `Not measured: the rewrite engine is not built (\`${path.relative(root, existsSync(cli) ? engineEntry : cli)}\` is missing), ` +
          'so the codemod cannot run. Build with `npm run build` once the engine exists; no figures are reported until then.',
      ],
    };
  }

  const budget = quick ? 600_000 : 1_000_000;
  const rounds = quick ? 1 : 3;
  const corpus = findCorpus(budget);
  const work = mkdtempSync(path.join(tmpdir(), 'lazy-init-codemod-bench-'));
  try {
    // A flat copy: every tool sees exactly these files, whatever their original directories were called.
    const corpusDir = path.join(work, 'corpus');
    const copied = [];
    for (const [index, { project, file }] of corpus.files.entries()) {
      const target = path.join(corpusDir, project, `${String(index).padStart(5, '0')}-${path.basename(file)}`);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(file, target);
      copied.push(target);
    }
    const listFile = path.join(work, 'files.txt');
    writeFileSync(listFile, `${copied.join('\n')}\n`);
    const bytes = copied.reduce((sum, file) => sum + statSync(file).size, 0);
    const lines = copied.reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length, 0);
    log(`${copied.length} files, ${lines} lines, ${(bytes / 1e6).toFixed(2)} MB in ${corpusDir}`);

    const threads = Math.max(1, availableParallelism() - 1);
    const commands = {
      parse: () => timeNode([fileURLToPath(import.meta.url), '--parse-only', listFile], { cwd: work }),
      codemod: () => timeNode([cli, '--dry-run', '--json', '--no-type-aware', '--cpus', '1', 'corpus'], { cwd: work, accept: [0, 1] }),
      ...(threads > 1
        ? {
            threads: () =>
              timeNode([cli, '--dry-run', '--json', '--no-type-aware', '--cpus', String(threads), 'corpus'], { cwd: work, accept: [0, 1] }),
          }
        : {}),
    };

    const transforms = SLUGS.filter((slug) => existsSync(path.join(transformsDir, `${slug}.js`)));
    const missingTransforms = SLUGS.filter((slug) => !transforms.includes(slug));
    const jscodeshiftBin = path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js');
    if (transforms.length > 0 && existsSync(jscodeshiftBin)) {
      commands.jscodeshift = async () => {
        let ms = 0;
        for (const slug of transforms) {
          const result = await timeNode(
            [
              jscodeshiftBin,
              '-t',
              path.join(transformsDir, `${slug}.js`),
              '--parser',
              'tsx',
              '--extensions',
              'ts,tsx,mts,cts,js,jsx,mjs,cjs',
              '--dry',
              '--run-in-band',
              '--silent',
              '--no-babel',
              'corpus',
            ],
            { cwd: work },
          );
          ms += result.ms;
        }
        return { ms, code: 0, stdout: '', stderr: '' };
      };
    }

    let eslintNote;
    const eslintBin = path.join(root, 'node_modules/eslint/bin/eslint.js');
    if (existsSync(pluginEntry) && existsSync(eslintBin)) {
      const configFile = path.join(work, 'eslint.config.mjs');
      const parserUrl = pathToFileURL(path.join(root, 'node_modules/@typescript-eslint/parser/dist/index.js')).href;
      writeFileSync(
        configFile,
        `import parser from ${JSON.stringify(parserUrl)};\n` +
          `import plugin from ${JSON.stringify(pathToFileURL(pluginEntry).href)};\n` +
          'export default [\n' +
          "  { files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'], languageOptions: { parser } },\n" +
          '  plugin.configs.recommended,\n' +
          '];\n',
      );
      commands.eslint = () =>
        timeNode([eslintBin, '--config', configFile, '--fix-dry-run', '--format', 'json', '--no-warn-ignored', 'corpus'], {
          cwd: work,
          accept: [0, 1],
        });
    } else {
      eslintNote = '`eslint --fix` was not measured: the plugin is not built (`eslint-plugin/dist/index.js` is missing).';
    }

    // Warm-up (file cache, compile caches), and the outputs described in the notes. jscodeshift, by far the slowest,
    // reads the same files as the others and is not warmed up separately.
    const warm = {};
    for (const [name, command] of Object.entries(commands)) {
      if (name === 'jscodeshift') continue;
      warm[name] = await command();
      log(`warm-up ${name}: ${warm[name].ms.toFixed(0)} ms`);
    }
    const report = JSON.parse(warm.codemod.stdout);
    const parsed = JSON.parse(warm.parse.stdout);
    let eslintProblems;
    if (warm.eslint) {
      eslintProblems = JSON.parse(warm.eslint.stdout).reduce((sum, file) => sum + file.messages.length, 0);
    }

    const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      const names = Object.keys(commands);
      const shift = round % names.length;
      for (const name of [...names.slice(shift), ...names.slice(0, shift)]) times[name].push((await commands[name]()).ms);
      log(`round ${round + 1}/${rounds}: ${names.map((name) => `${name} ${times[name].at(-1).toFixed(0)} ms`).join(', ')}`);
    }
    const ratio = (name, base) => median(times[name].map((value, i) => value / times[base][i]));
    const group = 'Whole corpus, no types';
    const rows = [
      { group, name: 'parse only (typescript-estree)', value: median(times.parse), unit: 'ms' },
      {
        group,
        name: '`lazy-init-codemod --dry-run --json --cpus 1`',
        value: median(times.codemod),
        unit: 'ms',
        baseline: 'parse only',
        ratio: ratio('codemod', 'parse'),
        target: '≤ 1.5x',
        met: ratio('codemod', 'parse') <= 1.5,
      },
    ];
    if (times.threads) {
      rows.push({
        group,
        name: `\`lazy-init-codemod --dry-run --json --cpus ${threads}\``,
        value: median(times.threads),
        unit: 'ms',
        baseline: 'parse only',
        ratio: ratio('threads', 'parse'),
      });
    }
    if (times.jscodeshift) {
      const r = ratio('jscodeshift', 'codemod');
      rows.push({
        group,
        name: `\`jscodeshift --run-in-band\`, ${transforms.length} transform modules`,
        value: median(times.jscodeshift),
        unit: 'ms',
        baseline: 'codemod, 1 cpu',
        ratio: r,
        target: '≥ 5x',
        met: r >= 5,
      });
    }
    if (times.eslint) {
      rows.push({
        group,
        name: '`eslint --fix-dry-run`, `recommended`',
        value: median(times.eslint),
        unit: 'ms',
        baseline: 'codemod, 1 cpu',
        ratio: ratio('eslint', 'codemod'),
      });
    }

    // Type-aware: the same project for both, read in place (a dry run writes nothing).
    const tscBin = path.join(root, 'node_modules/typescript/bin/tsc');
    const { project, passed } = await findTypedProject(corpus.projects, tscBin);
    const passedNote = passed.map((each) => `\`${each.name}\` (tsc does not type-check it here: ${each.reason.replace(/`/g, "'")})`).join(', ');
    let typedNote =
      'Type-aware mode was not measured: no project with a `tsconfig.json` holding at least 20 source files that tsc type-checks' +
      (passedNote ? `; passed over: ${passedNote}.` : '.');
    if (project) {
      const typed = {
        tsc: () => timeNode([tscBin, ...TSC_FLAGS, '-p', project.tsconfig], { cwd: project.dir, accept: [0, 1, 2] }),
        program: () => timeNode([fileURLToPath(import.meta.url), '--program-only', project.tsconfig], { cwd: project.dir }),
        codemod: () =>
          timeNode([cli, '--type-aware', '--dry-run', '--json', '--cpus', '1', ...project.files], { cwd: project.dir, accept: [0, 1] }),
        // Every core: this thread builds the program while the others look for sites.
        ...(availableParallelism() > 1
          ? {
              threads: () =>
                timeNode([cli, '--type-aware', '--dry-run', '--json', '--cpus', String(availableParallelism()), ...project.files], {
                  cwd: project.dir,
                  accept: [0, 1],
                }),
            }
          : {}),
      };
      const typedReport = JSON.parse((await typed.codemod()).stdout);
      await typed.tsc();
      await typed.program();
      if (typed.threads) await typed.threads();
      const typedTimes = Object.fromEntries(Object.keys(typed).map((name) => [name, []]));
      for (let round = 0; round < rounds; round++) {
        const names = Object.keys(typed);
        const shift = round % names.length;
        for (const name of [...names.slice(shift), ...names.slice(0, shift)]) typedTimes[name].push((await typed[name]()).ms);
        log(`type-aware round ${round + 1}/${rounds}: ${names.map((name) => `${name} ${typedTimes[name].at(-1).toFixed(0)} ms`).join(', ')}`);
      }
      const typedRatio = median(typedTimes.codemod.map((value, i) => value / typedTimes.tsc[i]));
      const typedGroup = `Type-aware, project \`${project.name}\``;
      rows.push(
        { group: typedGroup, name: '`tsc --noEmit`', value: median(typedTimes.tsc), unit: 'ms' },
        { group: typedGroup, name: 'TypeScript program alone (build and bind, no check)', value: median(typedTimes.program), unit: 'ms' },
        {
          group: typedGroup,
          name: '`lazy-init-codemod --type-aware --dry-run --json --cpus 1`',
          value: median(typedTimes.codemod),
          unit: 'ms',
          baseline: 'tsc --noEmit',
          ratio: typedRatio,
          target: '≤ 1.3x',
          met: typedRatio <= 1.3,
        },
        {
          group: typedGroup,
          name: '`lazy-init-codemod --type-aware --dry-run --json --cpus 1`, against the program alone',
          value: median(typedTimes.codemod),
          unit: 'ms',
          baseline: 'program alone',
          ratio: median(typedTimes.codemod.map((value, i) => value / typedTimes.program[i])),
        },
      );
      if (typedTimes.threads) {
        rows.push({
          group: typedGroup,
          name: `\`lazy-init-codemod --type-aware --dry-run --json --cpus ${availableParallelism()}\``,
          value: median(typedTimes.threads),
          unit: 'ms',
          baseline: 'tsc --noEmit',
          ratio: median(typedTimes.threads.map((value, i) => value / typedTimes.tsc[i])),
        });
      }
      typedNote =
        `Type-aware: \`tsc --noEmit -p ${project.name}/tsconfig.json\` against the codemod given that project's own ${project.files.length} ` +
        `source files (from \`tsc --listFilesOnly\`); tsc runs as \`tsc ${TSC_FLAGS.join(' ')}\`, so that no build info spares it the check. Both build the same program (one program at any \`--cpus\`: with more than one, the other threads look for sites without types while it builds); the codemod found ${typedReport.summary.sitesFound} ` +
        `sites there (${typedReport.summary.sitesRewritten} would be rewritten).` +
        ' The program-alone baseline builds and binds the same program as the engine does and answers nothing: what ' +
        'is left above it is the codemod itself (loading its parser and analysis, screening every file on the ' +
        'TypeScript AST, converting, analysing and planning the files the screen passes, type-checking each rewritten file ' +
        'against the program, reporting).' +
        (passedNote ? ` Passed over: ${passedNote}.` : '') +
        (project.fallback ? " FALLBACK: no real project qualified, so this repository's codemod package." : '');
    }

    const summary = report.summary;
    return {
      title,
      intro:
        `Wall time of fresh Node processes over ${copied.length} files (${lines.toLocaleString('en')} lines, ` +
        `${(bytes / 1e6).toFixed(1)} MB) of ${corpus.description}. Median of ${rounds} interleaved round${rounds === 1 ? '' : 's'} ` +
        'after a warm-up round; each ratio is the median of the per-round ratios.',
      rows,
      notes: [
        `On the corpus the codemod scanned ${summary.filesScanned} files and found ${summary.sitesFound} lazy sites ` +
          `(${summary.sitesRewritten} would be rewritten, ${summary.sitesSkipped} skipped); ` +
          `${summary.filesFailed} files failed (${Object.entries(summary.filesFailedByReason).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}). ` +
          `The parse-only baseline parsed all ${parsed.files} files (${parsed.failed.length} did not parse) with the engine's options ` +
          '(ranges, locations, tokens, comments, JSX by extension), and does no walking, scope analysis or reporting. ' +
          'The codemod parses every file with the TypeScript parser and screens its AST; only the files the screen passes ' +
          '(those with a guard that stores into what it tests) are converted to ESTree, with tokens and comments, and analysed. ' +
          'So it reports as not parsing the files with syntax errors the TypeScript parser finds, while the baseline also ' +
          'counts grammar errors only typescript-estree checks (a decorator where none is allowed, say), which a file ' +
          'screened out is never converted to meet, and files without any assignment, which the codemod does not parse.',
        ...(times.jscodeshift
          ? ['jscodeshift runs once per transform module (it takes one transform per run), in band, so it is one thread against one thread.']
          : []),
        ...SLUG_ROWS(missingTransforms),
        ...(eslintNote
          ? [eslintNote]
          : [`\`eslint --fix-dry-run\` uses \`@typescript-eslint/parser\` without types and the plugin's \`recommended\` config; it reported ${eslintProblems} problems.`]),
        typedNote,
        ...(corpus.fallback ? ['This run used the fallback corpus: the figures are not comparable with runs on real TypeScript projects.'] : []),
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

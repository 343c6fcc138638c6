/**
 * The built plugin under the real ESLint command line (ESLint 10 and 9), over a small project
 * (`fixtures/cli-project`, copied to a temporary directory with a flat config file that loads the plugin): linting
 * with worker threads (`--concurrency 2`, where every thread loads the config file itself) and with `--cache` (run
 * twice, so the second run reads the cache) reports exactly what a plain run reports.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry, ensureBuilt } from './built-plugin.js';

const fixture = fileURLToPath(new URL('./fixtures/cli-project', import.meta.url));
const require = createRequire(import.meta.url);
const engines = [
  ['ESLint 10', require.resolve('eslint/package.json')],
  ['ESLint 9', require.resolve('eslint9/package.json')],
] as const;
const configs = ['recommended', 'recommended-type-checked'] as const;

interface Report {
  file: string;
  ruleId: string | null;
  severity: number;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

interface Run {
  status: number | null;
  stderr: string;
  reports: Report[];
}

let work: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), 'lazy-init-eslint-cli-'));
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the fixture project whose `eslint.config.mjs` turns on one of the plugin's configs. */
function project(name: string, config: (typeof configs)[number]): string {
  const dir = path.join(work, name);
  cpSync(fixture, dir, { recursive: true });
  const typed = config !== 'recommended';
  writeFileSync(
    path.join(dir, 'eslint.config.mjs'),
    [
      `import parser from ${JSON.stringify(pathToFileURL(require.resolve('@typescript-eslint/parser')).href)};`,
      `import lazyInit from ${JSON.stringify(pathToFileURL(builtEntry).href)};`,
      'export default [',
      '  {',
      "    files: ['**/*.{js,mjs,ts}'],",
      `    languageOptions: { parser, sourceType: 'module'${typed ? ', parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }' : ''} },`,
      '  },',
      `  lazyInit.configs[${JSON.stringify(config)}],`,
      '];',
      '',
    ].join('\n'),
  );
  return dir;
}

function eslint(manifest: string, cwd: string, args: readonly string[]): Run {
  const bin = path.join(path.dirname(manifest), 'bin/eslint.js');
  const result = spawnSync(process.execPath, [bin, '--format', 'json', ...args, 'src'], { cwd, encoding: 'utf8', timeout: 180_000 });
  const results = JSON.parse(result.stdout || '[]') as { filePath: string; messages: Omit<Report, 'file'>[] }[];
  const reports = results
    .flatMap(({ filePath, messages }) =>
      messages.map(({ ruleId, severity, line, column, endLine, endColumn, message }) => ({
        file: path.relative(cwd, filePath),
        ruleId,
        severity,
        line,
        column,
        endLine,
        endColumn,
        message,
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)));
  // ESLint advises, on stderr, against threads for a project this small; that advice is the only output allowed there.
  const stderr = result.stderr.replace(/^\(node:\d+\) ESLintPoorConcurrencyWarning: .*\n(?:\(Use `node --trace-warnings.*\n)?/m, '');
  return { status: result.status, stderr, reports };
}

const sources = readdirSync(path.join(fixture, 'src')).sort();

describe.each(engines)('%s command line', (engineName, manifest) => {
  describe.each(configs)('with the %s config', (config) => {
    const slug = `${engineName.replace(/\W+/g, '-')}-${config}`;
    let plain: Run;

    beforeAll(() => {
      plain = eslint(manifest, project(`${slug}-plain`, config), []);
    }, 180_000);

    it('reports the hand-rolled sites of every file but the clean one, and nothing crashes', () => {
      expect(plain.stderr).toBe('');
      expect(plain.status).toBe(1);
      expect(plain.reports.filter((report) => report.ruleId === null || !report.ruleId.startsWith('lazy-init/'))).toEqual([]);
      const reported = new Set(plain.reports.map((report) => path.basename(report.file)));
      expect([...reported].sort()).toEqual(sources.filter((file) => file !== 'clean.ts' && file !== 'connect.js'));
      const rules = new Set(plain.reports.map((report) => report.ruleId));
      expect(rules).toContain('lazy-init/no-reentrant-init');
      expect(rules).toContain('lazy-init/no-async-init-race');
      expect(rules).toContain('lazy-init/no-cached-rejection');
    });

    it('reports the same with --concurrency 2', () => {
      const threaded = eslint(manifest, project(`${slug}-threads`, config), ['--concurrency', '2']);
      expect(threaded.stderr).toBe('');
      expect(threaded.status).toBe(plain.status);
      expect(threaded.reports).toEqual(plain.reports);
    });

    it('reports the same with --cache, when the cache is written and when it is read', () => {
      const dir = project(`${slug}-cache`, config);
      const cacheLocation = path.join(work, `${slug}-cache-file`);
      const args = ['--cache', '--cache-location', cacheLocation];
      const first = eslint(manifest, dir, args);
      expect(existsSync(cacheLocation)).toBe(true);
      const second = eslint(manifest, dir, args);
      for (const run of [first, second]) {
        expect(run.stderr).toBe('');
        expect(run.status).toBe(plain.status);
        expect(run.reports).toEqual(plain.reports);
      }
    });
  });
});

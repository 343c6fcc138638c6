/**
 * The packed package as consumers load it: an ES module, a CommonJS `require`, and TypeScript projects compiled for
 * `module: node16`, `nodenext` (a CommonJS file) and `commonjs`, each type-checked with this repository's TypeScript
 * against the tarball and then run. A program that loads the package both ways sees one copy of it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const runtimeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let work: string;

beforeAll(() => {
  if (!existsSync(path.join(runtimeDir, 'dist/cjs/index.js'))) {
    execFileSync(process.execPath, [tsc, '-b', runtimeDir]);
    execFileSync(process.execPath, [path.join(runtimeDir, 'scripts/cjs-entry.js')]);
  }
  work = mkdtempSync(path.join(tmpdir(), 'lazy-init-consumers-'));
  execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: runtimeDir, encoding: 'utf8' });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
  const installed = path.join(work, 'node_modules/@lazy-init/runtime');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', installed, '--strip-components=1']);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Writes `files` into a fresh project folder beside the installed package and returns its path. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

const node = (dir: string, file: string) => execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }).trim();

/** What every consumer prints: a filled cell, a lock's state, and a reentrant cell's error name. */
const expected = '42 empty ReentrantInitError';
const body = `
const cell = new OnceCell<number>();
const lock = new OnceLock<string>();
const self: OnceCell<number> = new OnceCell();
let name = '';
try {
  self.getOrInit(() => self.getOrInit(() => 1));
} catch (error) {
  if (error instanceof ReentrantInitError) name = error.name;
}
console.log(cell.getOrInit(() => 42), lock.state, name);
`;
const untyped = body.replace(/<[a-z]+>/g, '').replace(/: OnceCell/g, '');

describe('consumers of the packed package', () => {
  test('an ES module imports it', () => {
    const dir = project('esm', { 'main.mjs': `import { OnceCell, OnceLock, ReentrantInitError } from '@lazy-init/runtime';\n${untyped}` });
    expect(node(dir, 'main.mjs')).toBe(expected);
  });

  test('a CommonJS script requires it', () => {
    const dir = project('cjs', { 'main.cjs': `const { OnceCell, OnceLock, ReentrantInitError } = require('@lazy-init/runtime');\n${untyped}` });
    expect(node(dir, 'main.cjs')).toBe(expected);
  });

  for (const module of ['node16', 'nodenext', 'commonjs']) {
    test(`a CommonJS TypeScript project with \`module: ${module}\` type-checks and runs`, () => {
      const dir = project(`ts-${module}`, {
        'package.json': JSON.stringify({ name: `consumer-${module}`, private: true, type: 'commonjs' }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module, target: 'es2022', lib: ['es2022', 'dom'], types: [], strict: true, outDir: 'out' },
          files: ['main.ts'],
        }),
        'main.ts': `import { OnceCell, OnceLock, ReentrantInitError } from '@lazy-init/runtime';\n${body}`,
      });
      execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
      expect(readFileSync(path.join(dir, 'out/main.js'), 'utf8')).toContain('require("@lazy-init/runtime")');
      expect(node(dir, 'out/main.js')).toBe(expected);
    });
  }

  test('loaded with both import and require, it is one copy: same classes, one reentrancy chain', () => {
    const dir = project('mixed', {
      'main.mjs': `
import { createRequire } from 'node:module';
import * as esm from '@lazy-init/runtime';
const cjs = createRequire(import.meta.url)('@lazy-init/runtime');
const same = esm.OnceCell === cjs.OnceCell && esm.ReentrantInitError === cjs.ReentrantInitError;
const outer = new esm.OnceCell();
const inner = new cjs.OnceCell();
let cycle;
try {
  outer.getOrInit(() => inner.getOrInit(() => outer.getOrInit(() => 0)));
} catch (error) {
  cycle = error instanceof esm.ReentrantInitError && error instanceof cjs.ReentrantInitError ? error.cycle.length : -1;
}
console.log(same, cycle);
`,
    });
    expect(node(dir, 'main.mjs')).toBe('true 3');
  });
});


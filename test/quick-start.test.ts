/**
 * The README's Quick start is what a newcomer types first: one block, two lines, the first running the codemod over
 * the embedded demo project without writing anything, the second the test command `.ci/run` runs too.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

const quickStart = (): string[] => {
  const section = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? '');
  expect(blocks).toHaveLength(1);
  return (blocks[0] ?? '').trim().split('\n');
};

/** Every file under a folder with a digest of its bytes, to prove a run wrote nothing. */
const snapshot = (dir: string): Map<string, string> =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [file, createHash('sha256').update(readFileSync(file)).digest('hex')] as const;
      }),
  );

describe('Quick start', () => {
  it('is one block: install and run the demo, then the tests', () => {
    expect(quickStart()).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('runs the same test command as continuous integration', () => {
    const ci = readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    const lines = ci.trim().split('\n');
    expect(lines).toContain('npm test');
    // After the README's command, CI runs the same tests again under the other Node versions of the support range.
    expect(lines.indexOf('bash scripts/node-matrix.sh')).toBeGreaterThan(lines.indexOf('npm test'));
  });

  it('demo runs the codemod over the demo project as a dry run', () => {
    expect(scripts['demo']).toBe('npm run build && node codemods/dist/cli.js fixtures/demo-project --dry-run');
  });

  it('the demo prints a diff and a report and leaves the demo project as it was', () => {
    const demo = path.join(root, 'fixtures/demo-project');
    const before = snapshot(demo);
    // `npm test` builds before the tests run, so the demo's command is run without its build step.
    const command = (scripts['demo'] ?? '').replace(/^npm run build && /, '').split(' ');
    const [program, ...args] = command;
    expect(program).toBe('node');
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).not.toMatch(/Error:/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^--- .*fixtures\/demo-project\/src\/\S+\.ts/m);
    expect(result.stdout).toMatch(/^\+.*new (LazyCell|OnceCell|OnceLock)/m);
    expect(result.stdout).toContain('dry run: nothing was written');
    expect(result.stdout).toMatch(/skipped \(exported-live-binding\)/);
    // Paths in the report are relative to where the command runs.
    expect(result.stdout).toContain('used in `fixtures/demo-project/src/audit.ts`');
    expect(result.stdout).not.toContain(root);
    expect(snapshot(demo)).toEqual(before);
  });
});

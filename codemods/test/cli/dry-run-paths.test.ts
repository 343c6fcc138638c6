import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, git, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

describe('--dry-run', () => {
  it('names files in diff headers from the top of the work tree, so git apply takes the diff from any folder', async () => {
    const root = tempDir();
    writeTree(root, { 'packages/app/src/a.ts': 'let value = lazy();\n', 'packages/lib/b.ts': 'let other = lazy();\n' });
    mkdirSync(path.join(root, 'docs'));
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'init');
    const cwd = path.join(root, 'packages', 'app');
    const result = await runWithMarkerEngine(['--dry-run', '--json', '--no-type-aware', '.', '../lib'], cwd);
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string; diff?: string }> };
    const diffs = report.files.map((file) => file.diff ?? '').join('');
    expect(diffs).toContain('--- a/packages/app/src/a.ts\n+++ b/packages/app/src/a.ts\n');
    expect(diffs).toContain('--- a/packages/lib/b.ts\n');
    expect(diffs).not.toContain('../');
    const patch = path.join(root, '..', `${path.basename(root)}.patch`);
    writeFileSync(patch, diffs);
    for (const from of [root, cwd, path.join(root, 'docs'), path.join(root, 'packages', 'lib')]) {
      execFileSync('git', ['apply', '--check', patch], { cwd: from, stdio: 'pipe' });
    }
  });

  it('says "would rewrite" throughout the text report, never "rewritten"', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let value = lazy();\n', 'b.ts': 'export const b = 1;\n' });
    const result = await runWithMarkerEngine(['--dry-run', '--no-type-aware'], cwd);
    const report = result.stdout.replace(/^(diff --git|---|\+\+\+|@@|[-+]| [^ ]).*$/gm, '');
    expect(report).toContain('would rewrite');
    expect(report).toContain('Files: 2 scanned, would rewrite 1,');
    expect(report).toContain('Sites: 1 found, would rewrite 1,');
    expect(report).not.toMatch(/rewritten/);
  });
});

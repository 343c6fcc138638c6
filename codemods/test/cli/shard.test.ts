import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, git, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

interface Report {
  files: Array<{ path: string }>;
  sites: unknown[];
  errors: unknown[];
  summary: Record<string, unknown>;
}

function project(): string {
  const cwd = tempDir();
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) {
    const kind = i % 5 === 0 ? "lazy('skip')" : 'lazy()';
    files[`src/dir-${i % 4}/file-${i}.ts`] = `let slot${i} = ${kind};\n${i % 7 === 0 ? 'let more = lazy();\n' : ''}`;
  }
  files['src/broken.ts'] = 'x = 1; // @@parse-error\n';
  files['src/plain.ts'] = 'export const x = 1;\n';
  writeTree(cwd, files);
  git(cwd, 'init', '-q');
  return cwd;
}

describe('--shard and merge-reports', () => {
  it('shards cover every file exactly once, and their merged reports equal the unsharded report', async () => {
    const cwd = project();
    const args = ['--no-type-aware', '--dry-run', '--json', '--cpus', '1'];
    const whole = JSON.parse((await runWithMarkerEngine(args, cwd)).stdout) as Report;
    const shardFiles: string[] = [];
    const seen: string[][] = [];
    for (let i = 1; i <= 3; i++) {
      const result = await runWithMarkerEngine([...args, '--shard', `${i}/3`], cwd);
      const report = JSON.parse(result.stdout) as Report;
      seen.push(report.files.map((file) => file.path));
      const file = path.join(cwd, '..', `${path.basename(cwd)}-shard-${i}.json`);
      writeFileSync(file, result.stdout);
      shardFiles.push(file);
    }
    for (const files of seen) expect(files.length).toBeGreaterThan(0);
    expect(seen.flat().sort()).toEqual(whole.files.map((file) => file.path).sort());
    expect(new Set(seen.flat()).size).toBe(seen.flat().length);

    // The same split again: deterministic.
    const again = JSON.parse((await runWithMarkerEngine([...args, '--shard', '2/3'], cwd)).stdout) as Report;
    expect(again.files.map((file) => file.path)).toEqual(seen[1]);

    const merged = await runWithMarkerEngine(['merge-reports', '--json', ...shardFiles], cwd);
    expect(merged.code).toBe(1); // the broken file failed, as in the whole run
    expect(JSON.parse(merged.stdout)).toEqual(whole);

    const text = await runWithMarkerEngine(['merge-reports', ...shardFiles], cwd);
    expect(text.stdout).toContain(`Files: ${String(whole.summary.filesScanned)} scanned`);
    expect(text.stdout).toContain(`Sites: ${String(whole.summary.sitesFound)} found`);
  });

  it('refuses a bad --shard, overlapping reports and files that are not reports, exit 2', async () => {
    const cwd = project();
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) {
      const result = await runWithMarkerEngine(['--no-type-aware', '--shard', bad], cwd);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain('--shard');
    }
    const report = path.join(cwd, '..', `${path.basename(cwd)}-all.json`);
    writeFileSync(report, (await runWithMarkerEngine(['--no-type-aware', '--dry-run', '--json'], cwd)).stdout);
    const twice = await runWithMarkerEngine(['merge-reports', '--json', report, report], cwd);
    expect(twice.code).toBe(2);
    expect(JSON.parse(twice.stdout)).toMatchObject({ error: { kind: 'usage', message: expect.stringContaining('more than one report') } });
    const notReport = await runWithMarkerEngine(['merge-reports', path.join(cwd, 'src', 'plain.ts')], cwd);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toContain('not a readable JSON report');
    expect((await runWithMarkerEngine(['merge-reports'], cwd)).code).toBe(2);
  });
});

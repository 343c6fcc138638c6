/**
 * The detection benchmark's inputs stay usable: the labels fit their schema and cover what the benchmark claims to
 * measure, every labels file belongs to a pinned repository, and the corpus linter charges a rule's crash to that rule
 * without losing the other rules' reports.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript modules of the benchmark, without declarations.
import { KINDS, TRAPS, readLabels } from '../bench/detection/labels.js';
// @ts-expect-error: as above.
import { readManifest } from '../bench/detection/extract.js';
// @ts-expect-error: as above.
import { lintProject, loadPlugin, untypedRuleIds } from '../bench/detection/lint-corpus.js';

interface Label {
  project: string;
  path: string;
  line: number;
  label: 'positive' | 'negative';
  kind?: string;
  trap?: string;
}

const labels = readLabels() as Label[];
const { repositories } = readManifest() as { repositories: { repo: string; name: string; commit: string; paths: string[] }[] };

describe('detection benchmark labels', () => {
  it('label only repositories the manifest pins, each at a full commit', () => {
    const names = new Set(repositories.map((entry) => entry.name));
    for (const entry of repositories) expect(entry.commit).toMatch(/^[0-9a-f]{40}$/);
    expect([...new Set(labels.map((label) => label.project))].filter((project) => !names.has(project))).toEqual([]);
  });

  it('hold at least 200 positives and 100 negatives over at least 8 repositories', () => {
    expect(labels.filter((label) => label.label === 'positive').length).toBeGreaterThanOrEqual(200);
    expect(labels.filter((label) => label.label === 'negative').length).toBeGreaterThanOrEqual(100);
    expect(new Set(labels.map((label) => label.project)).size).toBeGreaterThanOrEqual(8);
  });

  it('have a negative for every near-miss category of the design', () => {
    const seen = new Set(labels.map((label) => label.trap));
    // The first ten traps are the near-misses DESIGN.md section 3 lists.
    expect((TRAPS as string[]).slice(0, 10).filter((trap) => !seen.has(trap))).toEqual([]);
  });

  it('name a kind with an expected rule for every positive', () => {
    for (const label of labels.filter((each) => each.label === 'positive')) expect(Object.keys(KINDS)).toContain(label.kind);
  });
});

describe('lintProject', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-detection-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports with repository-relative paths, lists files that do not parse, and skips dependencies', async () => {
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    const lazy = 'let db: object | undefined;\nexport function getDb() {\n  if (!db) db = new Map();\n  return db;\n}\n';
    writeFileSync(path.join(dir, 'src/db.ts'), lazy);
    writeFileSync(path.join(dir, 'node_modules/dep/index.ts'), lazy);
    writeFileSync(path.join(dir, 'src/broken.ts'), 'export const = ;\n');
    const plugin = await loadPlugin();
    const result = lintProject(plugin, dir, untypedRuleIds(plugin));
    expect(result.files).toBe(2);
    expect(result.reports).toEqual([expect.objectContaining({ path: 'src/db.ts', line: 3, rule: 'prefer-lazy-primitive' })]);
    expect(result.unparsed.map((file: { path: string }) => file.path)).toEqual(['src/broken.ts']);
    expect(result.crashes).toEqual([]);
  });

  it('charges a crash to the rule that threw and keeps the other rules\' reports', async () => {
    const plugin = await loadPlugin();
    const throwing = {
      meta: { type: 'problem', docs: {}, schema: [], messages: {} },
      create: () => ({ Program: () => { throw new Error('boom'); } }),
    };
    const patched = { ...plugin, rules: { ...plugin.rules, 'always-throws': throwing } };
    const result = lintProject(patched, dir, [...untypedRuleIds(plugin), 'always-throws']);
    // A file that does not parse runs no rule, so only the other file can crash.
    expect(result.crashes.map((crash: { path: string; rule: string }) => `${crash.path} ${crash.rule}`)).toEqual(['src/db.ts always-throws']);
    expect(result.reports.map((report: { path: string; rule: string }) => `${report.path} ${report.rule}`)).toEqual(['src/db.ts prefer-lazy-primitive']);
  });
});

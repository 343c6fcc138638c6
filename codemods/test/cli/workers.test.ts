import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, markerEngine, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);

const before = 'let value = lazy();\n';
const after = 'const value = new OnceCell();\n';

describe('worker threads', () => {
  it('reports a file whose worker thread died as an engine crash, and finishes the others on a new thread', async () => {
    const cwd = tempDir();
    const files: Record<string, string> = { 'm-dies.ts': 'let value = lazy();\n// @@exit-thread\n' };
    for (let i = 0; i < 20; i++) files[`f${String(i).padStart(2, '0')}.ts`] = before;
    writeTree(cwd, files);
    const report = await api.runCodemod({ cwd, cpus: 2, typeAware: false, engine: { module: markerEngine } });
    expect(report.errors).toEqual([
      { file: 'm-dies.ts', reason: 'engine-crash', message: expect.stringContaining('stopped while rewriting this file') },
    ]);
    expect(report.summary.filesRewritten).toBe(20);
    for (let i = 0; i < 20; i++) expect(readFileSync(path.join(cwd, `f${String(i).padStart(2, '0')}.ts`), 'utf8')).toBe(after);
    expect(readFileSync(path.join(cwd, 'm-dies.ts'), 'utf8')).toBe('let value = lazy();\n// @@exit-thread\n');
  });

  it.each([1, 2])('rejects with EngineLoadError before touching files when the engine fails to load (cpus %i)', async (cpus) => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': before, 'b.ts': before });
    const broken = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'engines', 'broken-engine.mjs')).href;
    await expect(api.runCodemod({ cwd, cpus, typeAware: false, engine: { module: broken } })).rejects.toMatchObject({
      name: 'EngineLoadError',
      message: expect.stringContaining('The broken engine fails at import.'),
    });
    expect(readFileSync(path.join(cwd, 'a.ts'), 'utf8')).toBe(before);
  });

  it('stops the pool when aborted: files not reached are left as they were and the report says interrupted', async () => {
    const cwd = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}.ts`] = before;
    writeTree(cwd, files);
    const controller = new AbortController();
    let seen = 0;
    const report = await api.runCodemod({
      cwd,
      cpus: 2,
      typeAware: false,
      engine: { module: markerEngine },
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'file' && ++seen === 5) controller.abort();
      },
    });
    expect(report.summary.interrupted).toBe(true);
    expect(report.summary.filesScanned).toBeGreaterThanOrEqual(5);
    expect(report.summary.filesScanned).toBeLessThan(40);
    let rewritten = 0;
    for (let i = 0; i < 40; i++) {
      const text = readFileSync(path.join(cwd, `f${String(i).padStart(2, '0')}.ts`), 'utf8');
      expect([before, after]).toContain(text);
      if (text === after) rewritten++;
    }
    expect(rewritten).toBe(report.summary.filesRewritten);
  });
});

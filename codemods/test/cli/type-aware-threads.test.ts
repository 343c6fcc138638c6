import { cpSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, repoDir, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);

describe('type-aware mode on several threads', () => {
  it('reports exactly what one thread reports: sites decided from types, files without sites, files that do not parse', async () => {
    const cwd = tempDir();
    cpSync(path.join(repoDir, 'fixtures/demo-project'), cwd, { recursive: true });
    writeTree(cwd, {
      'src/plain.ts': 'export const twice = (n: number): number => n * 2;\nlet total = 0;\nexport function add(n: number): void {\n  total = total + n;\n}\n',
      'src/broken.ts': 'let slot: string | undefined;\nexport function get( {\n  if (!slot) slot = "x";\n',
      'src/falsy.ts':
        'const count = (): number => 0;\nlet cached: number | undefined;\nexport function getCount(): number {\n  if (!cached) cached = count();\n  return cached;\n}\n',
    });
    const one = await api.runCodemod({ cwd, dryRun: true, typeAware: true, cpus: 1 });
    const three = await api.runCodemod({ cwd, dryRun: true, typeAware: true, cpus: 3 });
    expect(three).toEqual(one);
    expect(one.summary.sitesRewritten).toBeGreaterThan(0);
    const byPath = new Map(one.files.map((file) => [file.path, file]));
    expect(byPath.get('src/plain.ts')).toMatchObject({ status: 'unchanged', sites: [] });
    expect(byPath.get('src/broken.ts')).toMatchObject({ status: 'failed', reason: 'parse-error' });
    // `number` can be `0`, which the `!cached` guard treats as empty: only the checker knows.
    expect(byPath.get('src/falsy.ts')?.sites).toMatchObject([{ outcome: 'skipped', reason: 'falsy-initializer' }]);
  });
});

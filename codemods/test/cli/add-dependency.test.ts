import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, codemodsDir, ensureBuilt, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

const shipped = (JSON.parse(readFileSync(path.join(codemodsDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
  .dependencies['@lazy-init/runtime']!;
const manifest = '{\n    "name": "app",\n    "files": ["dist"],\n    "dependencies": {\n        "alpha": "1.0.0",\n        "zeta": "2.0.0"\n    },\n    "private": true\n}\n';
const expected =
  '{\n    "name": "app",\n    "files": [\n        "dist"\n    ],\n    "dependencies": {\n        "@lazy-init/runtime": "^' +
  shipped +
  '",\n        "alpha": "1.0.0",\n        "zeta": "2.0.0"\n    },\n    "private": true\n}\n';

function project(): string {
  const cwd = tempDir();
  writeTree(cwd, {
    'package.json': manifest,
    'src/a.ts': '// @@import\nlet value = lazy();\n',
    'src/b.ts': 'let other = lazy();\n',
    'packages/has/package.json': '{\n\t"name": "has",\n\t"devDependencies": { "@lazy-init/runtime": "*" }\n}',
    'packages/has/c.ts': '// @@import\nlet third = lazy();\n',
  });
  return cwd;
}

interface Report {
  manifests: Array<{ path: string; status: string; range: string; diff?: string }>;
  summary: { manifestsChanged: number; installNeeded: boolean };
}

describe('adding the runtime dependency', () => {
  it('adds it to the nearest manifest that lacks it, in the manifest\'s own style, and says an install is needed', async () => {
    const cwd = project();
    const result = await runWithMarkerEngine(['--no-type-aware', '--json'], cwd);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.manifests).toEqual([{ path: 'package.json', status: 'added', dependency: '@lazy-init/runtime', range: `^${shipped}` }]);
    expect(report.summary).toMatchObject({ manifestsChanged: 1, installNeeded: true });
    expect(readFileSync(path.join(cwd, 'package.json'), 'utf8')).toBe(expected);
    expect(readFileSync(path.join(cwd, 'packages/has/package.json'), 'utf8')).toContain('"*"');

    const text = await runWithMarkerEngine(['--no-type-aware'], project());
    expect(text.stdout).toContain('Manifest package.json: added `@lazy-init/runtime`');
    expect(text.stdout).toMatch(/install/);
  });

  it('shows it as a change a dry run would make, and writes nothing', async () => {
    const cwd = project();
    const result = await runWithMarkerEngine(['--no-type-aware', '--json', '--dry-run'], cwd);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.manifests).toMatchObject([{ path: 'package.json', status: 'would-add' }]);
    expect(report.manifests[0]!.diff).toContain(`+        "@lazy-init/runtime": "^${shipped}",`);
    expect(report.summary).toMatchObject({ manifestsChanged: 1, installNeeded: false });
    expect(readFileSync(path.join(cwd, 'package.json'), 'utf8')).toBe(manifest);
  });

  it('leaves manifests alone with --no-add-dependency, and when no file gained the import', async () => {
    const cwd = project();
    const result = await runWithMarkerEngine(['--no-type-aware', '--json', '--no-add-dependency'], cwd);
    expect((JSON.parse(result.stdout) as Report).manifests).toEqual([]);
    expect(readFileSync(path.join(cwd, 'package.json'), 'utf8')).toBe(manifest);

    const plain = tempDir();
    writeTree(plain, { 'package.json': manifest, 'a.ts': 'let value = lazy();\n' });
    await runWithMarkerEngine(['--no-type-aware'], plain);
    expect(readFileSync(path.join(plain, 'package.json'), 'utf8')).toBe(manifest);
  });
});

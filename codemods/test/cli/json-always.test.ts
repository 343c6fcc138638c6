import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, git, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

function parseOne(stdout: string): { error: { kind: string; message: string; files?: string[] }; exitCode: number } {
  return JSON.parse(stdout) as never;
}

describe('--json prints one JSON document whatever happens', () => {
  it.each([
    [['--json', '--cpus', 'many'], 'usage', /--cpus/],
    [['--json', '--no-such-flag'], 'usage', /no-such-flag/],
    [['--json', '--type-aware', '--no-type-aware'], 'usage', /cannot be used together/],
    [['--json', '--interactive'], 'usage', /`--interactive` and `--json` cannot be used together/],
    [['--json', 'missing-folder'], 'PathNotFoundError', /missing-folder/],
    [['--json', '--type-aware', '.'], 'TsconfigNotFoundError', /tsconfig/],
  ])('%j: an error document on stdout, nothing else, exit 2', async (args, kind, message) => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let value = lazy();\n' });
    const result = await runWithMarkerEngine(args, cwd);
    expect(result.code).toBe(2);
    const document = parseOne(result.stdout);
    expect(document).toEqual({ error: { kind, message: expect.stringMatching(message) }, exitCode: 2 });
  });

  it('a run refused over uncommitted changes names the files in the document', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let value = lazy();\n' });
    git(cwd, 'init', '-q');
    git(cwd, 'add', '.');
    git(cwd, 'commit', '-qm', 'init');
    writeFileSync(path.join(cwd, 'a.ts'), 'let value = lazy();\n// edited\n');
    const result = await runWithMarkerEngine(['--json', '--no-type-aware'], cwd);
    expect(result.code).toBe(2);
    expect(parseOne(result.stdout).error).toMatchObject({ kind: 'DirtyWorkTreeError', files: ['a.ts'] });
  });
});

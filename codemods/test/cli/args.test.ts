import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, codemodsDir, ensureBuilt, runCli, tempDir, writeTree } from './helpers.js';

const manifest = JSON.parse(readFileSync(path.join(codemodsDir, 'package.json'), 'utf8')) as { version: string };

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

describe('command line usage', () => {
  it('prints the usage with every flag on --help and -h, and exits 0', async () => {
    const cwd = tempDir();
    for (const flag of ['--help', '-h']) {
      const result = await runCli([flag], cwd);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      for (const option of [
        '--dry-run',
        '--json',
        '--transform',
        '--type-aware',
        '--no-type-aware',
        '--preserve-failure-caching',
        '--allow-dirty',
        '--include',
        '--exclude',
        '--cpus',
        '--interactive',
        '--version',
      ]) {
        expect(result.stdout).toContain(option);
      }
      expect(result.stdout).toContain('module-lazy-slot');
    }
  });

  it('prints the package version on --version and -v', async () => {
    const cwd = tempDir();
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag], cwd);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${manifest.version}\n`);
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--dry-run=yes'], /--dry-run/],
    [['--cpus'], /--cpus/],
    [['--cpus', '0'], /`--cpus` takes a whole number of at least 1, not `0`/],
    [['--cpus', '1.5'], /not `1\.5`/],
    [['--cpus', 'many'], /not `many`/],
    [['--transform', 'module-lazy-slot,no-such-transform'], /Unknown transform `no-such-transform`/],
    [['--type-aware', '--no-type-aware'], /cannot be used together/],
    [['--include', ''], /`--include` takes a non-empty glob/],
    [['does-not-exist'], /The path `does-not-exist` does not exist/],
    [['--interactive', '--dry-run'], /`--interactive` and `--dry-run` cannot be used together/],
    // runCli's stdin and stdout are pipes, not a terminal.
    [['--interactive', '.'], /`--interactive` needs a terminal on stdin and stdout/],
  ])('rejects %j with a message and the usage on stderr, exit code 2', async (args, message) => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'export let x = 1;\n' });
    const result = await runCli(args, cwd);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: lazy-init-codemod');
    // Misuse never touches files.
    expect(readFileSync(path.join(cwd, 'a.ts'), 'utf8')).toBe('export let x = 1;\n');
  });

  it('refuses type-aware mode without a tsconfig.json, exit code 2', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'export let x = 1;\n' });
    const result = await runCli(['--type-aware', '--dry-run'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Type-aware mode needs a `tsconfig.json`');
  });
});

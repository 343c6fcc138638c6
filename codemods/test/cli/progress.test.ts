import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, markerEngine, tempDir, writeTree } from './helpers.js';

let cli: typeof import('../../dist/driver/main.js');

beforeAll(async () => {
  ensureBuilt();
  cli = await import('../../dist/driver/main.js');
}, BUILD_TIMEOUT);

/** A stream that records what is written, and claims to be a terminal when asked to. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return Object.assign(writable, {
    isTTY,
    columns: 100,
    rows: 30,
    text: () => chunks.join(''),
  }) as unknown as NodeJS.WriteStream & { text: () => string };
}

async function run(args: string[], tty: boolean) {
  const cwd = tempDir();
  writeTree(cwd, { 'a.ts': 'let a = lazy();\n', 'b.ts': 'let b = lazy();\n', 'c.ts': 'let c = lazy();\n' });
  const stdout = stream(tty);
  const stderr = stream(tty);
  const signals = new EventEmitter();
  const code = await cli.main(
    [...args, '--no-type-aware', '--cpus', '1'],
    { stdout, stderr, cwd, process: signals as unknown as NodeJS.Process },
    { engine: { module: markerEngine } },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text(), listeners: signals.listenerCount('SIGINT') };
}

describe('progress bar', () => {
  it('draws a progress bar on stderr when it is a terminal', async () => {
    const result = await run(['--dry-run'], true);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\d\/3 files/);
    expect(result.stdout).toContain('Summary');
    // The SIGINT handler is removed when the run ends.
    expect(result.listeners).toBe(0);
  });

  it('stays quiet when stderr is not a terminal, and with --json even when it is', async () => {
    const piped = await run(['--dry-run'], false);
    expect(piped.stderr).toBe('');
    const json = await run(['--dry-run', '--json'], true);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).summary.filesRewritten).toBe(3);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, markerEngine, runCliWithEngine, runNode, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

const count = 150;
const name = (i: number): string => `file-${String(i).padStart(3, '0')}.ts`;
const oldText = (i: number): string => `// file ${i}\nlet slot = lazy();\n${'export const filler = 1;\n'.repeat(200)}`;
const newText = (i: number): string => `// file ${i}\nconst slot = new OnceCell();\n${'export const filler = 1;\n'.repeat(200)}`;

describe('interrupting a run with SIGINT', () => {
  it.each([1, 2])('leaves every file old or new, prints what was done and exits 130 (--cpus %i)', async (cpus) => {
    const cwd = tempDir();
    writeTree(cwd, Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), oldText(i)])));

    let interruptedAt = 0;
    const result = await runNode(runCliWithEngine, [markerEngine, '--no-type-aware', '--cpus', String(cpus)], {
      cwd,
      env: { TEST_ENGINE_DELAY_MS: '60' },
      onSpawn(child) {
        // Interrupt once some files have been rewritten, while the run is still going.
        const poll = setInterval(() => {
          // The atomic writer's temporary files (`.name.tmp`) come and go: only the files themselves count.
          const rewritten = readdirSync(cwd).filter((file) => !file.startsWith('.') && readFileSync(path.join(cwd, file), 'utf8').includes('OnceCell'));
          if (rewritten.length >= 5) {
            clearInterval(poll);
            interruptedAt = rewritten.length;
            child.kill('SIGINT');
          }
        }, 20);
        child.on('exit', () => clearInterval(poll));
      },
    });

    expect(interruptedAt).toBeGreaterThanOrEqual(5);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted');
    expect(result.stdout).toMatch(/Interrupted: \d+ of 150 files were not reached\./);

    let fresh = 0;
    let stale = 0;
    for (let i = 0; i < count; i++) {
      const text = readFileSync(path.join(cwd, name(i)), 'utf8');
      if (text === newText(i)) fresh++;
      else if (text === oldText(i)) stale++;
      else throw new Error(`${name(i)} holds neither its old nor its new text.`);
    }
    expect(fresh).toBeGreaterThanOrEqual(interruptedAt);
    expect(stale).toBeGreaterThan(0);
    // No temporary files are left behind.
    expect(readdirSync(cwd)).toHaveLength(count);
    // The report counts exactly the files that were rewritten.
    expect(result.stdout).toContain(`Files: ${fresh} scanned, ${fresh} rewritten`);
  });
});

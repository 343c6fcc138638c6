import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, cliPath, ensureBuilt, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

const source = (i: number): string =>
  `let cache${i};\nexport function get${i}() {\n  if (cache${i} === undefined) cache${i} = new Map();\n  return cache${i};\n}\n`;

function interruptAfter(cwd: string, args: readonly string[], delay: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGINT'), delay);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

describe('Ctrl-C at any point of a run', () => {
  it(
    'always ends with a report of what was written, in text and in --json',
    async () => {
      // From after Node's own start-up (before which no program can catch a signal) to past the end of a run: while
      // the command line loads, walks, starts its threads, rewrites and reports.
      const runs = Array.from({ length: 20 }, (_, i) => ({ delay: 400 + i * 40, json: i % 2 === 1 }));
      for (const { delay, json } of runs) {
        const cwd = tempDir();
        writeTree(cwd, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/file-${i}.ts`, source(i)])));
        const args = ['--no-type-aware', '--cpus', '2', ...(json ? ['--json'] : [])];
        const result = await interruptAfter(cwd, args, delay);
        const where = `interrupted after ${delay} ms${json ? ' with --json' : ''}`;
        expect([0, 130], where).toContain(result.code);
        let rewrittenOnDisk = 0;
        for (let i = 0; i < 40; i++) if (readFileSync(`${cwd}/src/file-${i}.ts`, 'utf8') !== source(i)) rewrittenOnDisk++;
        if (json) {
          const report = JSON.parse(result.stdout) as { summary: { filesRewritten: number; interrupted: boolean } };
          expect(report.summary.interrupted, where).toBe(result.code === 130);
          expect(report.summary.filesRewritten, where).toBe(rewrittenOnDisk);
        } else {
          expect(result.stdout, where).toContain('Summary');
          expect(result.stdout, where).toContain(`${rewrittenOnDisk} rewritten`);
        }
      }
    },
    240_000,
  );
});

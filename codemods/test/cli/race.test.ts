import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

interface JsonReport {
  files: Array<{ path: string; status: string; reason?: string }>;
}

const count = 40;
const name = (i: number): string => `file-${String(i).padStart(2, '0')}.ts`;

describe('a writer racing the command line', () => {
  it(
    'never loses an edit made during the run, and every file reported rewritten holds the rewrite',
    async () => {
      let rewritten = 0;
      let changed = 0;
      // Several rounds: a lost edit needs an append to land in the short window before a rename.
      for (let round = 0; round < 4; round++) {
        const cwd = tempDir();
        writeTree(cwd, Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), `let slot${i} = lazy();\n`])));
        const edits = new Map<string, string[]>();
        let serial = 0;
        const writer = setInterval(() => {
          for (let k = 0; k < 3; k++) {
            const file = name(Math.floor(Math.random() * count));
            const edit = `// edit ${serial++}\n`;
            appendFileSync(path.join(cwd, file), edit);
            edits.set(file, [...(edits.get(file) ?? []), edit]);
          }
        }, 1);
        const result = await runWithMarkerEngine(['--no-type-aware', '--json', '--cpus', '2'], cwd, { TEST_ENGINE_DELAY_MS: '15' });
        clearInterval(writer);
        const report = JSON.parse(result.stdout) as JsonReport;
        for (let i = 0; i < count; i++) {
          const text = readFileSync(path.join(cwd, name(i)), 'utf8');
          for (const edit of edits.get(name(i)) ?? []) expect(text, `${name(i)} lost ${edit.trim()}`).toContain(edit);
          const entry = report.files.find((file) => file.path === name(i));
          if (entry?.status === 'rewritten') {
            rewritten++;
            expect(text.startsWith(`const slot${i} = new OnceCell();\n`)).toBe(true);
          } else if (entry?.reason === 'changed-on-disk') {
            changed++;
            expect(text.startsWith(`let slot${i} = lazy();\n`)).toBe(true);
          }
        }
      }
      // Both outcomes happened, so the race was real.
      expect(rewritten).toBeGreaterThan(0);
      expect(changed).toBeGreaterThan(0);
    },
    120_000,
  );
});

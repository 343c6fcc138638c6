/**
 * The project the review tests work on, in-process (`cli/review.test.ts`), in a pseudo-terminal
 * (`cli/interactive.test.ts`) and in the engine (`engine/planning.test.ts`): one file with two slots, two with one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, writeTree } from './cli/helpers.js';

const lines = (...parts: string[]): string => parts.join('\n') + '\n';

/** Two slots in one file: `db` (line 2) and `cache` (line 5). */
export const TWO_SLOTS = lines(
  'let db: Db | undefined;',
  'export const getDb = (): Db => (db ??= new Db());',
  'let cache: Cache | undefined;',
  'export function getCache(): Cache {',
  '  if (!cache) cache = new Cache();',
  '  return cache;',
  '}',
);

export const oneSlot = (name: string): string => lines(`let ${name}: Pool | undefined;`, `export const get = (): Pool => (${name} ??= new Pool());`);

/** `src/a.ts` with `TWO_SLOTS`, `src/b.ts` with `pool`, `src/c.ts` with `conn`, in a new temporary directory. */
export const reviewProject = (): string => {
  const cwd = tempDir();
  writeTree(cwd, { 'src/a.ts': TWO_SLOTS, 'src/b.ts': oneSlot('pool'), 'src/c.ts': oneSlot('conn') });
  return cwd;
};

export const readIn = (cwd: string, file: string): string => readFileSync(path.join(cwd, file), 'utf8');

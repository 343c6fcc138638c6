/**
 * The plugin as users install it: `dist/`, built on demand when missing or older than the sources (`npm test` builds
 * first, a focused test run may not have).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LazyInitPlugin } from '../src/index.js';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const builtEntry = path.join(packageRoot, 'dist/index.js');

const newestSource = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newestSource(path.join(dir, entry.name)) : statSync(path.join(dir, entry.name)).mtimeMs,
    ),
  );

export function ensureBuilt(): void {
  if (!existsSync(builtEntry) || statSync(builtEntry).mtimeMs < newestSource(path.join(packageRoot, 'src'))) {
    execFileSync('npx', ['tsc', '-b', packageRoot], { stdio: 'inherit' });
  }
}

export async function loadBuiltPlugin(): Promise<LazyInitPlugin> {
  ensureBuilt();
  return ((await import(pathToFileURL(builtEntry).href)) as { default: LazyInitPlugin }).default;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

/** The runtime source bundled into one file, so child processes and VM contexts can load it without a build step. */
export async function bundleRuntime(options: Pick<BuildOptions, 'platform' | 'format' | 'globalName' | 'minify'>): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, target: 'es2022', logLevel: 'silent', ...options });
  return result.outputFiles[0]!.text;
}

/** A scratch directory holding `runtime.mjs` (the ESM bundle) and the given scripts; `dispose` removes it. */
export async function scratch(scripts: Record<string, string>): Promise<{ dir: string; dispose(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lazy-init-runtime-'));
  writeFileSync(path.join(dir, 'runtime.mjs'), await bundleRuntime({ platform: 'neutral', format: 'esm' }));
  for (const [name, text] of Object.entries(scripts)) writeFileSync(path.join(dir, name), text);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

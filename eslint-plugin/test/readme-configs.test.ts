/**
 * Every `eslint.config.js` example in the plugin README, loaded as ESLint loads a user's config: written beside the
 * repository's `node_modules` (so `@lazy-init/eslint-plugin` resolves to the built package as installed), then
 * resolved for a source file: a TypeScript one when the example brings typescript-eslint, JavaScript otherwise (ESLint
 * matches only JavaScript files until a config says otherwise). An example that does not load, or turns on no rule of the plugin, fails here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, packageRoot } from './built-plugin.js';

const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^```js\n(\/\/ eslint\.config\.js\n[\s\S]*?)^```/gm)].map((match) => match[1]!);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = path.join(repoRoot, 'node_modules/.cache');
mkdirSync(cacheDir, { recursive: true });
const scratch = mkdtempSync(path.join(cacheDir, 'readme-configs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README config examples', () => {
  it('are there to test', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples.map((code, index) => [index + 1, code] as const))('example %i loads and turns on the plugin', async (index, code) => {
    ensureBuilt();
    const dir = path.join(scratch, `example-${index}`);
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'eslint.config.js'), code);
    const file = path.join(dir, code.includes("from 'typescript-eslint'") ? 'src/file.ts' : 'src/file.js');
    writeFileSync(file, 'export {};\n');
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: path.join(dir, 'eslint.config.js') });
    const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> } | undefined;
    expect(config, 'the example applies to the file').toBeDefined();
    const ours = Object.entries(config!.rules).filter(([id]) => id.startsWith('lazy-init/'));
    expect(ours.length).toBeGreaterThan(0);
    for (const [id, entry] of ours) expect(entry[0], `\`${id}\` is on`).toBe(2);
  }, 60_000);
});

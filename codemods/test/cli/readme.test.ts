import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, codemodsDir, ensureBuilt } from './helpers.js';

const readme = readFileSync(path.join(codemodsDir, 'README.md'), 'utf8');
let args: typeof import('../../dist/driver/args.js');
let main: typeof import('../../dist/driver/main.js');

beforeAll(async () => {
  ensureBuilt();
  args = await import('../../dist/driver/args.js');
  main = await import('../../dist/driver/main.js');
}, BUILD_TIMEOUT);

describe('codemod README', () => {
  it('has one `### <slug>` section per transform, in the order of the transform list', () => {
    const headings = [...readme.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((match) => match[1]);
    expect(headings).toEqual([...args.TRANSFORM_SLUGS]);
    const transformsDir = path.join(codemodsDir, 'src', 'transforms');
    if (existsSync(transformsDir)) {
      const files = readdirSync(transformsDir)
        .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
        .map((file) => file.slice(0, -3))
        .sort();
      expect(files).toEqual([...args.TRANSFORM_SLUGS].sort());
    }
  });

  it('documents every option of the usage and every exit code', () => {
    const options = [...args.USAGE.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1]!);
    expect(options.length).toBeGreaterThan(10);
    for (const option of options) expect(readme).toContain(`\`${option}`);
    for (const code of Object.values(main.EXIT)) expect(readme).toContain(`| \`${code}\` |`);
  });
});

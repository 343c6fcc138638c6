/**
 * The skip reasons are part of the report's contract: the README documents each code the engine can give, and no
 * other; every transform has its section.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKIP_REASONS, skipMessage } from '../../src/engine/reasons.js';
import { repoRoot } from './helpers.js';

const readme = readFileSync(path.join(repoRoot, 'codemods/README.md'), 'utf8');
const transforms = readme.slice(readme.indexOf('<!-- transforms:start'), readme.indexOf('<!-- transforms:end -->'));

describe('skip reasons', () => {
  it('are each documented once in the README, and only those', () => {
    const table = transforms.slice(transforms.indexOf('### Skip reasons'));
    const documented = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(SKIP_REASONS).sort());
  });

  it('have a section per transform', () => {
    const sections = [...transforms.matchAll(/^### `([a-z-]+)`$/gm)].map((match) => match[1]);
    expect(sections).toEqual(['module-lazy-slot', 'static-singleton', 'instance-memo', 'promise-cache', 'async-init-race']);
  });

  it('read as full sentences naming the slot', () => {
    for (const reason of Object.keys(SKIP_REASONS) as (keyof typeof SKIP_REASONS)[]) {
      expect(skipMessage('this.#client', reason)).toMatch(/^Left `this\.#client` as it is: it .+\.$/);
    }
    expect(skipMessage('db', 'other-writer', '`db = next`')).toBe(
      'Left `db` as it is: it is written elsewhere in a way that has no runtime equivalent (`db = next`).',
    );
  });
});

/**
 * Guarded code that computes the value in several statements becomes the initializer's body only when the local it
 * uses for the slot always holds what the slot would have held: each condition of `src/engine/region.ts` has a case
 * that is rewritten and a case that is skipped with its reason.
 */
import { describe, expect, it } from 'vitest';
import { lines, newTypeErrors, only, runEngine } from './helpers.js';

const run = (source: string) => runEngine('region.ts', source);

const skipped = (source: string): string => {
  const site = only(run(source).sites);
  expect(site.outcome).toBe('skipped');
  return `${site.reason}: ${site.message}`;
};

describe('guarded code as the initializer body', () => {
  it('turns updates of the slot after its store into updates of the local', () => {
    const source = lines(
      'let prelude: string | undefined;',
      'export function getPrelude(keys: readonly string[]): string {',
      '  if (!prelude) {',
      '    prelude = `assign({`;',
      '    for (const key of keys) {',
      "      if (key.startsWith('_')) continue;",
      '      prelude += `${key},`;',
      '    }',
      "    prelude += '})';",
      '  }',
      '  return prelude;',
      '}',
    );
    const { output, sites } = run(source);
    expect(only(sites).outcome).toBe('rewritten');
    expect(output).toBe(
      lines(
        "import { OnceCell } from '@lazy-init/runtime';",
        '',
        'const prelude = new OnceCell<string>();',
        'export function getPrelude(keys: readonly string[]): string {',
        '  return prelude.getOrInit(() => {',
        '    let value: string = `assign({`;',
        '    for (const key of keys) {',
        "      if (key.startsWith('_')) continue;",
        '      value += `${key},`;',
        '    }',
        "    value += '})';",
        '    return value;',
        '  });',
        '}',
      ),
    );
    expect(newTypeErrors('region.ts', source, output!)).toEqual([]);
  });

  it('stores in every case of a switch that falls through or throws', () => {
    const source = lines(
      "type Kind = 'a' | 'b' | 'c';",
      'let table: Map<string, number> | undefined;',
      'export function tableFor(kind: Kind): Map<string, number> {',
      '  if (!table) {',
      '    switch (kind) {',
      "      case 'a':",
      "      case 'b':",
      '        table = new Map();',
      '        break;',
      '      default:',
      '        throw new Error(kind);',
      '    }',
      '  }',
      '  return table;',
      '}',
    );
    const { output, sites } = run(source);
    expect(only(sites).outcome).toBe('rewritten');
    expect(output).toContain('let value: Map<string, number>;');
    expect(newTypeErrors('region.ts', source, output!)).toEqual([]);
  });

  it('skips guarded code that leaves a loop around it, or returns', () => {
    const source = lines(
      'let cache: Map<string, number> | undefined;',
      'export function fill(groups: string[][]): void {',
      '  for (const group of groups) {',
      '    if (!cache) {',
      '      cache = new Map();',
      '      if (group.length === 0) break;',
      '      cache.set(group[0]!, 1);',
      '    }',
      '  }',
      '}',
    );
    expect(skipped(source)).toMatch(/^unsupported-shape: .*jumps out/);
  });

  it('skips guarded code that declares a `var` or a function others could use', () => {
    const source = lines(
      'let index: Map<string, number> | undefined;',
      'export function lookup(key: string): number | undefined {',
      '  if (!index) {',
      '    index = new Map();',
      '    var size = index.size;',
      '  }',
      '  void size;',
      '  return index.get(key);',
      '}',
    );
    expect(skipped(source)).toMatch(/^unsupported-shape: .*`var`/);
  });

  it('skips a read of the slot before the guarded code has stored it', () => {
    const source = lines(
      'let names: string[] | undefined;',
      'export function allNames(extra: string): string[] {',
      '  if (!names) {',
      '    try {',
      "      names = ['a'];",
      '    } catch {',
      '      names = [String(names)];',
      '    }',
      '    names.push(extra);',
      '  }',
      '  return names;',
      '}',
    );
    expect(skipped(source)).toMatch(/^unsupported-shape: .*read before it is stored/);
  });

  it('skips a callback in the guarded code that reads a slot reset elsewhere', () => {
    const source = lines(
      'let ticker: { stop(): void; count: number } | undefined;',
      'export function start(): { stop(): void; count: number } {',
      '  if (!ticker) {',
      '    ticker = { stop() {}, count: 0 };',
      '    setTimeout(() => console.log(ticker), 10);',
      '  }',
      '  return ticker;',
      '}',
      'export function stop(): void {',
      '  ticker = undefined;',
      '}',
    );
    expect(skipped(source)).toMatch(/^unsupported-shape: .*callback/);
  });

  it('skips guarded code that runs a function of the file that reads the slot', () => {
    const source = lines(
      'let store: Record<string, string> | undefined;',
      'export function getStore(): Record<string, string> {',
      '  if (!store) {',
      '    store = {};',
      '    save();',
      '  }',
      '  return store;',
      '}',
      'function save(): void {',
      '  console.log(JSON.stringify(store));',
      '}',
    );
    expect(skipped(source)).toMatch(/^reentrant-initializer: .*`save`/);
  });
});

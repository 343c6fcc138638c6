import * as path from 'node:path';
import { analyze } from '@typescript-eslint/scope-manager';
import { parse, parseAndGenerateServices } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { analyzeProgram, analyzeSource, type LazySite } from '../../src/analysis/index.js';
import { fixtureProjectRoot } from '../rule-tester.js';

const sitesOf = (text: string, filePath = 'file.ts'): readonly LazySite[] => analyzeSource(text, { filePath }).sites;
const only = (text: string, filePath?: string): LazySite => {
  const sites = sitesOf(text, filePath);
  expect(sites).toHaveLength(1);
  return sites[0]!;
};
const textOf = (text: string, node: { range: readonly [number, number] }) => text.slice(node.range[0], node.range[1]);

describe('analyzeProgram', () => {
  it('analyses a program once and returns the same frozen result to every caller', () => {
    const text = 'let x; export function get() { if (!x) x = create(); return x; }';
    const ast = parse(text, { range: true, loc: true, tokens: true, comment: true });
    const scopeManager = analyze(ast, { sourceType: 'module' });
    const first = analyzeProgram(ast, { scopeManager, sourceCode: { text } });
    expect(analyzeProgram(ast, { scopeManager, sourceCode: { text } })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toHaveLength(1);
  });

  it('describes the slot, the guard, the initializer and the accessor of a module getter', () => {
    const text = `let db: Db | undefined;
export function getDb(): Db {
  if (!db) db = createDb();
  return db;
}`;
    const site = only(text);
    expect(site.slot).toMatchObject({ kind: 'module', name: 'db', property: 'db', private: false, scopeKind: 'module', exported: false });
    expect(site.slot.key).toMatch(/^var:db@/);
    expect(textOf(text, site.slot.declaration!)).toBe('db: Db | undefined');
    expect(textOf(text, site.slot.typeAnnotation!)).toBe('Db | undefined');
    expect(site.guard).toMatchObject({ kind: 'not', empty: 'falsy', treatsFalsyAsEmpty: true });
    expect(textOf(text, site.guard.node)).toBe('if (!db) db = createDb();');
    expect(textOf(text, site.guard.test)).toBe('!db');
    expect(site.initializer).toMatchObject({ kind: 'sync', awaits: [], isClass: false, usesContainerScope: false, mayBeFalsy: undefined });
    expect(textOf(text, site.initializer.node)).toBe('createDb()');
    expect(site.stores.map((store) => textOf(text, store))).toEqual(['db = createDb()']);
    expect(site.accessor).toMatchObject({ kind: 'function', name: 'getDb', returnsSlot: true, async: false });
    expect(site.reads.map((read) => [read.role, read.inSite])).toEqual([
      ['guard', true],
      ['return', true],
    ]);
    expect(site.id).toBe(`${site.slot.key}@${site.guard.node.range[0]}`);
  });

  it('records every other writer with its kind and whether it runs on rejection or on settle', () => {
    const text = `export class Client {
  #socket: Promise<Socket> | undefined;
  connect() {
    this.#socket ??= open().catch((error) => { this.#socket = undefined; throw error; });
    return this.#socket;
  }
  set socket(value: Promise<Socket>) { this.#socket = value; }
  close() { delete this.#socket; }
  replace() { this.#socket = open(); }
}`;
    const site = only(text);
    expect(site.slot).toMatchObject({ kind: 'instance', name: 'this.#socket', private: true, exported: false });
    expect(site.initializer.kind).toBe('promise');
    expect(site.initializer.promiseEvidence).toEqual(expect.arrayContaining(['then-chain', 'annotation']));
    expect(site.otherWriters.map((w) => [w.kind, w.value ?? null, w.onRejection, w.isStatement])).toEqual([
      ['reset', 'undefined', true, true],
      ['setter', null, false, true],
      ['delete', null, false, true],
      ['assign', null, false, true],
    ]);
    expect(site.flags.clearedOnRejection).toBe(true);
  });

  it('keys every access of one slot alike, from inside and outside the class', () => {
    const text = `export class Config {
  static current: Config | undefined;
  static get(): Config {
    if (this.current === undefined) this.current = new Config();
    return Config.current!;
  }
}
Config.current = undefined;`;
    const site = only(text);
    expect(site.slot).toMatchObject({ kind: 'static', name: 'Config.current', exported: true });
    expect(site.reads.map((read) => read.role)).toEqual(['guard', 'return']);
    expect(site.otherWriters.map((writer) => writer.kind)).toEqual(['reset']);
    expect(site.otherWriters[0]!.container.type).toBe('Program');
  });

  it('treats a TypeScript `private` field of an exported class as unexported, a public one as exported', () => {
    const privateSite = only(`export class A { private x?: X; get() { return (this.x ??= new X()); } }`);
    const publicSite = only(`export class A { x?: X; get() { return (this.x ??= new X()); } }`);
    expect(privateSite.slot.exported).toBe(false);
    expect(publicSite.slot.exported).toBe(true);
  });

  it('sees exported live bindings', () => {
    expect(only('export let x: X | undefined; export const get = () => (x ??= new X());').slot.exported).toBe(true);
    expect(only('let x: X | undefined; export { x }; export const get = () => (x ??= new X());').slot.exported).toBe(true);
    expect(only('let x: X | undefined; export const get = () => (x ??= new X());').slot.exported).toBe(false);
  });

  it('collects the awaits between the guard and the store and sees a re-check after the last one', () => {
    const racy = `let pool: Pool | undefined;
export async function getPool() {
  if (!pool) {
    const config = await readConfig();
    pool = await createPool(config);
  }
  return pool;
}`;
    const site = only(racy);
    expect(site.initializer.kind).toBe('awaited');
    expect(site.initializer.awaits.map((node) => textOf(racy, node))).toEqual(['await readConfig()', 'await createPool(config)']);
    expect(site.initializer.usesContainerScope).toBe(true);
    expect(site.flags.recheckAfterAwait).toBe(false);

    const checked = only(`let pool: Pool | undefined;
export async function getPool() {
  if (!pool) {
    const created = await createPool();
    pool ??= created;
  }
  return pool;
}`);
    expect(checked.flags.recheckAfterAwait).toBe(true);
  });

  it('finds the store behind a local alias in a chained assignment', () => {
    const text = `export class Project {
  private _files?: FileSet;
  files(): FileSet {
    let files = this._files;
    if (!files) files = this._files = scan();
    return files;
  }
}`;
    const site = only(text);
    expect(site.slot.name).toBe('this._files');
    expect(site.aliases.map((variable) => variable.name)).toEqual(['files']);
    expect(site.flags.aliasReads).toBe(true);
    expect(site.stores.map((store) => textOf(text, store))).toEqual(['this._files = scan()']);
    expect(site.reads.map((read) => read.role)).toEqual(['alias']);
    expect(site.accessor?.returnsSlot).toBe(true);
  });

  it('knows object-literal slots through `this` and through the binding that holds the object', () => {
    const text = `const state = {
  parser: undefined as Parser | undefined,
  get current() { return (this.parser ??= new Parser()); },
};
export function reparse() { if (!state.parser) state.parser = new Parser(); return state.parser; }`;
    const sites = sitesOf(text);
    expect(sites.map((site) => [site.slot.kind, site.slot.name, site.accessor?.kind])).toEqual([
      ['object', 'state.parser', 'object-getter'],
      ['object', 'state.parser', 'function'],
    ]);
    expect(sites[0]!.slot.key).toBe(sites[1]!.slot.key);
    expect(sites.map((site) => site.flags.singleSite)).toEqual([false, false]);
    expect(sites[0]!.otherWriters.map((writer) => writer.kind)).toEqual(['guarded-store']);
  });

  it('handles CommonJS and JSX through analyzeSource options', () => {
    expect(only('let c; function get() { return c || (c = make()); } module.exports = get;', 'file.cjs').slot.kind).toBe('module');
    expect(sitesOf('let c; export const C = () => <div>{(c ??= make())}</div>;', 'file.tsx')).toHaveLength(1);
    expect(() => analyzeSource('let = ;')).toThrow();
  });

  it('rejects a keyed cache and a slot written by a timer', () => {
    expect(sitesOf('const cache = {}; export function get(key: string) { return (cache[key] ??= load(key)); }')).toEqual([]);
    expect(sitesOf('let v; export function get() { if (!v) { v = load(); setTimeout(() => { v = undefined; }, 1000); } return v; }')).toEqual([]);
  });
});

describe('analyzeProgram with type information', () => {
  const analyzeTyped = (text: string) => {
    const filePath = path.join(fixtureProjectRoot, 'file.ts');
    const { ast, services } = parseAndGenerateServices(text, {
      filePath,
      range: true,
      loc: true,
      tokens: true,
      comment: true,
      projectService: true,
      tsconfigRootDir: fixtureProjectRoot,
    });
    const scopeManager = analyze(ast, { sourceType: 'module' });
    return analyzeProgram(ast, {
      scopeManager,
      sourceCode: { text },
      typeInfo: { checker: services.program!.getTypeChecker(), esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap },
    });
  };

  it('says whether the initializer can be falsy or nullish and names the slot type', () => {
    const [count, label, db] = analyzeTyped(`declare function count(): number;
declare function label(): 'a' | 'b' | undefined;
declare function connect(): { query(): void };
let n: number | undefined;
let l: 'a' | 'b' | undefined;
let db: ReturnType<typeof connect> | undefined;
export const a = () => (n ||= count());
export const b = () => (l ??= label());
export const c = () => (db ??= connect());`);
    expect(count!.initializer).toMatchObject({ mayBeFalsy: true, mayBeNullish: false, typeText: 'number' });
    expect(count!.slot.valueTypeText).toBe('number');
    expect(label!.initializer).toMatchObject({ mayBeFalsy: false, mayBeNullish: true });
    expect(db!.initializer).toMatchObject({ mayBeFalsy: false, mayBeNullish: false });
    expect(db!.slot.valueTypeText).toBe('{ query(): void; }');
  });

  it('classes a stored promise from its type when the syntax says nothing', () => {
    const [site] = analyzeTyped(`declare function load(): Promise<string>;
let value: Awaited<ReturnType<typeof load>> | Promise<string> | undefined;
export const get = () => (value ??= load());`);
    expect(site!.initializer.kind).toBe('promise');
    expect(site!.initializer.promiseEvidence).toContain('type');
  });
});

describe('workAfterStore', () => {
  it('is set when the guarded block keeps working on the stored value', () => {
    expect(only('let k: Record<string, number> | undefined; export function get() { if (!k) { k = {}; fill(k); } return k; }').flags.workAfterStore).toBe(true);
    expect(only('let k: K | undefined; export function get() { if (k) return k; k = {}; fill(k); return k; }').flags.workAfterStore).toBe(true);
    expect(only('let k: K | undefined; export function get() { if (!k) { k = make(); } return k; }').flags.workAfterStore).toBe(false);
    expect(only('let k: K | undefined; export function get() { return (k ??= make()); }').flags.workAfterStore).toBe(false);
  });
});

/**
 * The screen's contract: whenever the analysis finds a site in a text, the screen passes that text's TypeScript AST.
 * Checked on every scenario, on one example of each candidate shape, and on generated programs that mix slots,
 * guards, stores and TypeScript wrappers; and it must rule out files without a candidate, or it would screen nothing.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSource, mayHoldSite } from '../../src/analysis/index.js';
import { loadScenarios } from './scenarios.js';

const tree = (text: string, fileName = 'file.ts'): ts.SourceFile =>
  ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, /\.[jt]sx$/.test(fileName) ? ts.ScriptKind.TSX : undefined);
const screens = (text: string, fileName?: string): boolean => mayHoldSite(tree(text, fileName), ts);
const siteCount = (text: string, filePath = 'file.ts'): number => analyzeSource(text, { filePath }).sites.length;

describe('mayHoldSite', () => {
  it('passes every scenario in which the analysis finds a site', () => {
    let withSites = 0;
    for (const scenario of loadScenarios()) {
      if (siteCount(scenario.input, scenario.inputPath) === 0) continue;
      withSites++;
      expect(screens(scenario.input, scenario.inputPath), scenario.name).toBe(true);
    }
    expect(withSites).toBeGreaterThanOrEqual(30);
  });

  // One text per candidate shape of `findCandidates`, each a real site.
  const shapes: Record<string, string> = {
    'negated guard': 'let db; export function get() { if (!db) db = open(); return db; }',
    'strict undefined guard': 'let db; export function get() { if (db === undefined) { db = open(); } return db; }',
    'loose null guard, reversed': 'let db; export function get() { if (null == db) db = open(); return db; }',
    'typeof guard': "let db; export function get() { if (typeof db === 'undefined') db = open(); return db; }",
    'void 0 guard': 'let db; export function get() { if (db === void 0) db = open(); return db; }',
    'early return': 'let db; export function get() { if (db) return db; db = open(); return db; }',
    'early return through an alias':
      'class A { #db; get() { const db = this.#db; if (db) return db; const made = open(); this.#db = made; return made; } }',
    'store in a return': 'let db; export function get() { if (!db) return (db = open()); return db; }',
    'store in a declaration': 'let db; export function get() { if (!db) { const made = (db = open()); use(made); } return db; }',
    'store in a try block': 'let db; export async function get() { if (!db) { try { db = await open(); } catch (e) { log(e); } } return db; }',
    're-check after an await': 'let db; export async function get() { if (!db) { await ready(); if (!db) db = await open(); } return db; }',
    'assignment chain': 'class A { #db; get() { let db = this.#db; if (!db) { db = this.#db = open(); } return db; } }',
    'nullish assignment': 'export class A { #db; get db() { return (this.#db ??= open()); } }',
    'or assignment': 'let db; export const get = () => (db ||= open());',
    'assign nullish': 'let db; export function get() { db = db ?? open(); return db; }',
    'logical or store': 'let db; export function get() { return db || (db = open()); }',
    'conditional store': 'let db; export function get() { return db ? db : (db = open()); }',
    'element access': "const KEY = 'db'; class A { static get() { if (!this[KEY]) this[KEY] = open(); return this[KEY]; } }",
    'static singleton': 'export class Config { static #instance; static get() { if (!Config.#instance) Config.#instance = new Config(); return Config.#instance; } }',
    'TypeScript wrappers': 'let db: Db | undefined; export function get(): Db { if (!(db as Db | undefined)!) (db as Db) = open() satisfies Db; return db!; }',
    'global slot': 'export function get() { if (!globalThis.__db) globalThis.__db = open(); return globalThis.__db; }',
    'closure slot': 'export function make() { let db; return () => { if (!db) db = open(); return db; }; }',
    'slot shadowed in another block only': 'let db; export function get() { { let db = 1; use(db); } if (!db) db = open(); return db; }',
    'object literal slot': 'const registry = { db: undefined, get() { if (!registry.db) registry.db = open(); return registry.db; } }; use(registry);',
    'class expression slot': 'export const A = class { static db; static get() { return (A.db ??= open()); } };',
  };
  for (const [name, text] of Object.entries(shapes)) {
    it(`passes: ${name}`, () => {
      expect(siteCount(text)).toBeGreaterThan(0);
      expect(screens(text)).toBe(true);
    });
  }

  it('rules out files without a guard that stores into what it tests', () => {
    const plain = [
      'export const add = (a: number, b: number) => a + b;',
      'export function f(x) { if (!x) return; const y = x * 2; use(y); }',
      'let a; export function f() { if (!a) b = open(); return a; }',
      'let a; export function f() { if (!a) { a.x = 1; } else { a = open(); } return a; }',
      'let a; export function f() { return a && (a = open()); }',
      'let a; export function f() { if (ready(a)) a = open(); return a; }',
      'let a; export function f() { a = b ?? open(); return a; }',
      'let a; export function f() { return a ? use(a) : (b = open()); }',
      'let a; export function f() { if (a) return a; return open(); }',
      'let a; export function f() { a += 1; if (a === 2) reset(); }',
      // Not slots: parameters, locals of the guard's own function, members of anything but an owner.
      'export function f(options) { if (!options) options = {}; return options; }',
      'export function f() { let seen; for (const x of xs) { if (!seen) seen = x; } return seen; }',
      'export function f(node) { node.raws ??= {}; return node.raws; }',
      'import { Config } from "./config"; export function f() { return (Config.current ??= load()); }',
      // Eager contexts: the top level, a constructor, a static block, a field initializer.
      'let db; if (!db) db = open(); export { db };',
      'export class A { db; constructor() { if (!this.db) this.db = open(); } }',
      'export class A { static db; static { A.db ??= open(); } }',
      'export class A { db = globalThis.db ??= open(); }',
    ];
    for (const text of plain) {
      expect(siteCount(text), text).toBe(0);
      expect(screens(text), text).toBe(false);
    }
  });

  it('never fails a generated program in which the analysis finds a site', () => {
    const wrap = fc.constantFrom((e: string) => e, (e: string) => `(${e})`, (e: string) => `(${e} as any)`, (e: string) => `${e}!`);
    // A slot: how it is declared, and how the accessor's body spells it.
    const slot = fc.constantFrom(
      { declare: 'let slot: any;', ref: 'slot', owner: (body: string) => `export function get() { ${body} }` },
      { declare: '', ref: 'this.slot', owner: (body: string) => `export class A { slot: any; get() { ${body} } }` },
      { declare: '', ref: 'this.#slot', owner: (body: string) => `export class A { #slot: any; get() { ${body} } }` },
      { declare: '', ref: 'A.slot', owner: (body: string) => `export class A { static slot: any; static get() { ${body} } }` },
      { declare: '', ref: 'globalThis.slot', owner: (body: string) => `export function get() { ${body} }` },
      { declare: '', ref: 'slot', owner: (body: string) => `export function make() { let slot: any; return () => { ${body} }; }` },
      { declare: 'const box = { slot: undefined as any };', ref: 'box.slot', owner: (body: string) => `export function get() { ${body} }` },
      { declare: '', ref: 'slot', owner: (body: string) => `export function get() { let slot: any; ${body} }` },
    );
    const target = fc.constantFrom('same', 'other');
    const guard = fc.constantFrom('not', 'strict-undefined', 'loose-null', 'typeof', 'early-return', 'nullish-assign', 'or-assign', 'assign-nullish', 'logical', 'conditional');
    const store = fc.constantFrom('plain', 'return', 'declare', 'block', 'try', 'recheck');
    let found = 0;
    fc.assert(
      fc.property(slot, guard, store, target, wrap, wrap, (s, g, st, t, wrapTest, wrapStore) => {
        const read = wrapTest(s.ref);
        const written = t === 'same' ? s.ref : 'other';
        const assign = `${written} = create()`;
        const stored = {
          plain: `${assign};`,
          return: `return (${assign});`,
          declare: `const made = (${assign}); use(made);`,
          block: `{ ${assign}; }`,
          try: `try { ${assign}; } finally { done(); }`,
          recheck: `if (!${s.ref}) ${assign};`,
        }[st];
        const body = {
          not: `if (!${read}) { ${stored} } return ${s.ref};`,
          'strict-undefined': `if (${read} === undefined) { ${stored} } return ${s.ref};`,
          'loose-null': `if (null == ${read}) { ${stored} } return ${s.ref};`,
          typeof: `if (typeof ${read} === 'undefined') { ${stored} } return ${s.ref};`,
          'early-return': `if (${read}) return ${s.ref}; ${stored} return ${s.ref};`,
          'nullish-assign': `return (${wrapStore(written)} ??= create());`,
          'or-assign': `return (${wrapStore(written)} ||= create());`,
          'assign-nullish': `${written} = ${read} ?? create(); return ${s.ref};`,
          logical: `return ${read} ?? (${wrapStore(written)} = create());`,
          conditional: `return ${read} ? ${s.ref} : (${assign});`,
        }[g];
        const text = `${s.declare}\n${s.owner(body)}\n`;
        const sites = siteCount(text);
        if (sites > 0) {
          found++;
          expect(screens(text), text).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    // The property says something only if many generated programs hold a site.
    expect(found).toBeGreaterThan(100);
  });
});

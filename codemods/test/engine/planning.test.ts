/**
 * What the engine decides per slot: the cell it picks, how other reads and writers map onto it, when it leaves a
 * site alone and why, with and without type information.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { EngineOptions, SiteReport } from '../../src/engine/types.js';
import { TWO_SLOTS } from '../review-project.js';
import { lines, newTypeErrors, only, runEngine, tempProject, tempTsconfig } from './helpers.js';

const options: EngineOptions = { typeAware: false, preserveFailureCaching: false };
const run = (filePath: string, source: string, engineOptions: EngineOptions = options) => runEngine(filePath, source, engineOptions);

describe('cells and their uses', () => {
  it('maps resets to take() and other reads to get(), keeping narrowed reads non-null', () => {
    const source = lines(
      'let db: Db | undefined;',
      'export function getDb(): Db {',
      '  return (db ??= new Db());',
      '}',
      'export function close(): void {',
      '  if (db) {',
      '    db.close();',
      '    db = undefined;',
      '  }',
      '  report({ db }, db?.name);',
      '}',
    );
    const { output, sites } = run('db.ts', source);
    expect(only(sites)).toMatchObject({ slot: 'db', transform: 'module-lazy-slot', outcome: 'rewritten' });
    expect(output).toBe(
      lines(
        "import { OnceCell } from '@lazy-init/runtime';",
        '',
        'const db = new OnceCell<Db>();',
        'export function getDb(): Db {',
        '  return db.getOrInit(() => new Db());',
        '}',
        'export function close(): void {',
        '  if (db.get()) {',
        '    db.get()!.close();',
        '    db.take();',
        '  }',
        '  report({ db: db.get() }, db.get()?.name);',
        '}',
      ),
    );
    const declarations = 'declare class Db { close(): void; name: string }\ndeclare function report(...values: unknown[]): void;\n';
    expect(newTypeErrors('db.ts', declarations + source, declarations + output)).toEqual([]);
  });

  it('keeps reads after an ensure-guard meaning what they meant: constructors, calls, values', () => {
    const source = lines(
      'let Hash = void 0;',
      'export function create(kind) {',
      '  if (Hash === void 0) Hash = loadHash(kind);',
      '  return new Hash(kind);',
      '}',
      'let segmenter;',
      'export function count(text) {',
      '  segmenter ??= new Intl.Segmenter();',
      '  let n = 0;',
      '  for (const _ of segmenter.segment(text)) n++;',
      '  return n;',
      '}',
      'let validate;',
      'export function check(value) {',
      '  validate ??= compile();',
      '  return validate(value) ? [] : validate.errors;',
      '}',
    );
    const { output } = run('hash.js', source);
    // The value is taken into a local once, not read from the cell again (nor left as a bare `cell.value;`).
    expect(output).toContain('  const HashValue = Hash.getOrInit(() => loadHash(kind));\n  return new HashValue(kind);');
    expect(output).toContain('  const segmenterValue = segmenter.value;\n  let n = 0;\n  for (const _ of segmenterValue.segment(text)) n++;');
    // Called as a function, the local keeps `this` undefined, as the slot's read did; never `value(...)`.
    expect(output).toContain('  const validateValue = validate.value;\n  return validateValue(value) ? [] : validateValue.errors;');
  });

  it('keeps reads narrowed by syntax non-null without type information, so the result type-checks', () => {
    const source = lines(
      'class Db { name = "db"; }',
      'declare function use(db: Db): void;',
      'declare function peek(db: Db | undefined): void;',
      'let db: Db | undefined;',
      'export const getDb = (): Db => (db ??= new Db());',
      'export function close(): void {',
      '  if (!db) return;',
      '  use(db);',
      '}',
      'export function report(): void {',
      '  if (db !== undefined) use(db);',
      '  const name = db ? db.name : undefined;',
      '  if (db) use(db);',
      '  else peek(db);',
      '  peek(db);',
      '  void name;',
      '}',
    );
    const { output } = run('narrow.ts', source);
    expect(output).toContain('  if (!db.get()) return;\n  use(db.get()!);');
    expect(output).toContain('  peek(db.get());');
    expect(newTypeErrors('narrow.ts', source, output!)).toEqual([]);
  });

  it('keeps a OnceCell when the initializer needs the accessor\'s parameters', () => {
    const { output } = run('conn.ts', lines('let conn: Conn | undefined;', 'export function getConn(url: string): Conn {', '  if (conn === undefined) conn = connect(url);', '  return conn;', '}'));
    expect(output).toContain('const conn = new OnceCell<Conn>();');
    expect(output).toContain('  return conn.getOrInit(() => connect(url));');
  });

  it('turns an instance memo into a OnceCell field and its reset into take()', () => {
    const source = lines(
      'export class Repo {',
      '  private _client: Client | undefined;',
      '  constructor(private readonly url: string) {}',
      '  get client(): Client {',
      '    if (!this._client) this._client = new Client(this.url);',
      '    return this._client;',
      '  }',
      '  close(): void {',
      '    this._client?.close();',
      '    this._client = undefined;',
      '  }',
      '}',
    );
    const { output, sites } = run('repo.ts', source);
    expect(only(sites)).toMatchObject({ transform: 'instance-memo', outcome: 'rewritten' });
    expect(output).toContain('  private _client = new OnceCell<Client>();');
    expect(output).toContain('    return this._client.getOrInit(() => new Client(this.url));');
    expect(output).toContain('    this._client.get()?.close();\n    this._client.take();');
    const declarations = 'declare class Client { constructor(url: string); close(): void }\n';
    expect(newTypeErrors('repo.ts', declarations + source, declarations + output)).toEqual([]);
  });

  it('maps a constructor pre-seed with a present value to set()', () => {
    const source = lines(
      'export class Repo {',
      '  private _client?: Client;',
      '  constructor(private readonly url: string, client?: Client) {',
      '    if (client) this._client = client;',
      '  }',
      '  get client(): Client {',
      '    return (this._client ??= new Client(this.url));',
      '  }',
      '}',
    );
    const { output } = run('repo.ts', source);
    expect(output).toContain('    if (client) this._client.set(client);');
    expect(output).toContain('    return this._client.getOrInit(() => new Client(this.url));');
    // Unguarded, `client` may be undefined: the old getter would then create one, `set(undefined)` would not.
    const unguarded = run('repo.ts', source.replace('if (client) this._client = client;', 'this._client = client;'));
    expect(unguarded.output).toBeUndefined();
    expect(only(unguarded.sites)).toMatchObject({ reason: 'other-writer' });
  });

  it('declares the field of a JavaScript class that only assigns it', () => {
    const { output } = run('repo.js', lines('class Repo {', '  get client() {', '    return (this._client ??= new Client());', '  }', '}', 'export const repo = new Repo();'));
    expect(output).toBe(
      lines(
        "import { OnceCell } from '@lazy-init/runtime';",
        '',
        'class Repo {',
        '  _client = new OnceCell();',
        '  get client() {',
        '    return this._client.getOrInit(() => new Client());',
        '  }',
        '}',
        'export const repo = new Repo();',
      ),
    );
  });

  it('leaves a public field of an exported class alone without type information', () => {
    const { output, sites } = run('repo.js', lines('export class Repo {', '  get client() {', '    return (this._client ??= new Client());', '  }', '}'));
    expect(output).toBeUndefined();
    expect(only(sites)).toMatchObject({ outcome: 'skipped', reason: 'exported-live-binding' });
  });

  it('gives several accessors of one slot one OnceCell, each with its own initializer', () => {
    const { output, sites } = run('c.ts', lines('let c: C | undefined;', 'export function a(): C {', '  return (c ??= new C(1));', '}', 'export function b(): C {', '  if (!c) c = new C(2);', '  return c;', '}'));
    expect(sites.map((site) => site.outcome)).toEqual(['rewritten', 'rewritten']);
    expect(output).toBe(
      lines(
        "import { OnceCell } from '@lazy-init/runtime';",
        '',
        'const c = new OnceCell<C>();',
        'export function a(): C {',
        '  return c.getOrInit(() => new C(1));',
        '}',
        'export function b(): C {',
        '  return c.getOrInit(() => new C(2));',
        '}',
      ),
    );
    const mixed = run('m.ts', lines('let c: C | undefined;', 'export async function a(): Promise<C> {', '  if (!c) c = await connect();', '  return c;', '}', 'export const b = (): C => (c ??= new C());'));
    expect(mixed.output).toBeUndefined();
    expect(mixed.sites.map((site) => site.reason)).toEqual(['unsupported-shape', 'unsupported-shape']);
  });

  it('composes slots whose initializers read or fill other slots, in a stable result', () => {
    const source = lines(
      'export class Matcher {',
      '  #marks?: Marks;',
      '  #sim?: Sim;',
      '  match(): Sim {',
      '    return (this.#sim ??= new Sim(this.#marks ??= marks(2)));',
      '  }',
      '  dots(): Sim {',
      '    this.#marks ??= marks(1);',
      '    return (this.#sim ??= new Sim(this.#marks));',
      '  }',
      '}',
    );
    const { output, sites } = run('matcher.ts', source);
    expect(sites.map((site) => `${site.slot} ${site.outcome}`)).toEqual([
      'this.#sim rewritten',
      'this.#marks rewritten',
      'this.#marks rewritten',
      'this.#sim rewritten',
    ]);
    expect(output).toContain('    return this.#sim.getOrInit(() => new Sim(this.#marks.getOrInit(() => marks(2))));');
    expect(output).toContain('    const marksValue = this.#marks.getOrInit(() => marks(1));\n    return this.#sim.getOrInit(() => new Sim(marksValue));');
    expect(run('matcher.ts', output!).output).toBeUndefined();
  });

  it('rewrites consecutive guards of one slot each in place', () => {
    const { output } = run('x.ts', lines('let x: X | undefined;', 'export function f(): X {', '  if (!x) x = new X(1);', '  if (!x) x = new X(2);', '  return x;', '}'));
    expect(output).toContain('  x.getOrInit(() => new X(1));\n  return x.getOrInit(() => new X(2));\n');
  });

  it('turns an object-literal memo property into a OnceCell property, unless the object is exported', () => {
    const source = lines(
      'export function makeTheme(seed: number) {',
      '  return {',
      '    _palette: undefined as Palette | undefined,',
      '    get palette(): Palette {',
      '      return (this._palette ??= computePalette(seed));',
      '    },',
      '    reset(): void {',
      '      this._palette = undefined;',
      '    },',
      '  };',
      '}',
    );
    const { output, sites } = run('theme.ts', source);
    expect(only(sites)).toMatchObject({ transform: 'instance-memo', outcome: 'rewritten' });
    expect(output).toContain('    _palette: new OnceCell<Palette>(),');
    expect(output).toContain('      return this._palette.getOrInit(() => computePalette(seed));');
    expect(output).toContain('      this._palette.take();');
    const exported = run('theme.js', lines('const theme = { _p: null, get p() { return this._p || (this._p = {}); } };', 'module.exports = theme;'));
    expect(exported.output).toBeUndefined();
    expect(only(exported.sites)).toMatchObject({ outcome: 'skipped', reason: 'exported-live-binding' });
  });

  it('turns a promise cache into a OnceLock and says rejections are retried now', () => {
    const source = lines('let config: Promise<Config> | undefined;', 'export function loadConfig(): Promise<Config> {', '  if (!config) config = fetchConfig();', '  return config;', '}');
    const retried = run('config.ts', source);
    expect(retried.output).toContain('const config = new OnceLock<Config>();');
    expect(retried.output).toContain('  return config.getOrInit(() => fetchConfig());');
    expect(only(retried.sites)).toMatchObject({ transform: 'promise-cache', change: 'rejection-retried' });
    expect(only(retried.sites).message).toMatch(/no longer cached/);

    const cached = run('config.ts', source, { ...options, preserveFailureCaching: true });
    expect(cached.output).toContain("const config = new OnceLock<Config>({ failure: 'cache' });");
    expect(only(cached.sites)).toMatchObject({ change: 'failure-cached' });
  });

  it('awaits a OnceLock for a check-await-assign race', () => {
    const { output, sites } = run('pool.ts', lines('let pool: Pool | undefined;', 'export async function getPool(): Promise<Pool> {', '  if (!pool) pool = await createPool();', '  return pool;', '}'));
    expect(output).toContain('  return await pool.getOrInit(() => createPool());');
    expect(only(sites)).toMatchObject({ transform: 'async-init-race', change: 'single-flight' });
  });

  it('retypes a JSDoc @type of the slot as the cell, in JavaScript only', () => {
    const promise = run(
      'config.js',
      lines('/** @type {?Promise<Config>} */', 'let config;', 'export function loadConfig() {', '  if (!config) config = fetch(url).then((response) => response.json());', '  return config;', '}'),
    );
    expect(promise.output).toContain('/** @type {OnceLock<Config>} */\nconst config = new OnceLock();');
    const field = run('db.js', lines('export class Store {', '  /**', '   * The open database.', '   * @type {Db | undefined}', '   */', '  #db;', '  db() {', '    return (this.#db ??= new Db());', '  }', '}'));
    expect(field.output).toContain('   * @type {OnceCell<Db>}\n   */\n  #db = new OnceCell();');
    // TypeScript ignores JSDoc types in .ts files, and the cell gets its type argument there.
    const typed = run('db.ts', lines('/** @type {Db | undefined} */', 'let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());'));
    expect(typed.output).toContain('/** @type {Db | undefined} */\nconst db = new LazyCell<Db>(() => new Db());');
  });

  it('runs only the transforms it is given', () => {
    const source = lines('let pool: Pool | undefined;', 'export async function getPool(): Promise<Pool> {', '  if (!pool) pool = await createPool();', '  return pool;', '}', 'let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());');
    const { output, sites } = run('mixed.ts', source, { ...options, transforms: ['module-lazy-slot'] });
    expect(sites.map((site) => site.transform)).toEqual(['module-lazy-slot']);
    expect(output).toContain('if (!pool) pool = await createPool();');
    expect(output).toContain('const db = new LazyCell<Db>(() => new Db());');
  });

  it('rewrites only the slots a selection names, reporting the others not-selected', () => {
    const source = TWO_SLOTS;
    const full = run('two.ts', source);
    expect(full.sites.map((site) => site.outcome)).toEqual(['rewritten', 'rewritten']);
    const [db, cache] = full.sites as [SiteReport, SiteReport];

    const engine = createEngine(options);
    const onlyCache = engine.transform('two.ts', source, { sites: [{ line: cache.line, column: cache.column }] });
    if (onlyCache.status !== 'ok') throw new Error(onlyCache.message);
    expect(onlyCache.output).toContain('let db: Db | undefined;');
    expect(onlyCache.output).toContain('const cache = new LazyCell<Cache>(() => new Cache());');
    expect(onlyCache.sites.map(({ slot, outcome, reason }) => ({ slot, outcome, reason }))).toEqual([
      { slot: 'db', outcome: 'skipped', reason: 'not-selected' },
      { slot: 'cache', outcome: 'rewritten', reason: undefined },
    ]);

    const both = engine.transform('two.ts', source, { sites: [db, cache].map(({ line, column }) => ({ line, column })) });
    expect(both).toEqual(full);
    const none = engine.transform('two.ts', source, { sites: [] });
    expect(none.status === 'ok' && none.output).toBe(undefined);
    expect(() => engine.transform('two.ts', source, { sites: 'all' } as never)).toThrow(TypeError);
  });
});

describe('sites left alone', () => {
  const skipped = (filePath: string, source: string, engineOptions?: EngineOptions): SiteReport => {
    const { output, sites } = run(filePath, source, engineOptions);
    expect(output).toBeUndefined();
    const site = only(sites);
    expect(site.outcome).toBe('skipped');
    expect(site.message).toMatch(/^Left `.+` as it is: .+\.$/);
    return site;
  };

  it('skips an exported live binding without type information', () => {
    expect(skipped('a.ts', lines('export let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());')).reason).toBe('exported-live-binding');
  });

  it('skips a falsy guard whose initializer may be falsy', () => {
    expect(skipped('a.ts', lines('let n: number | undefined;', 'export function getN(): number {', '  if (!n) n = count();', '  return n;', '}')).reason).toBe('falsy-initializer');
    expect(skipped('a.js', lines('let n;', 'export function getN() {', '  return n || (n = count());', '}')).reason).toBe('falsy-initializer');
  });

  it('rewrites a falsy guard whose initializer is an object by its syntax', () => {
    expect(run('a.js', lines('let n;', 'export function getN() {', '  return n || (n = { count: count() });', '}')).output).toContain('const n = new LazyCell(() => ({ count: count() }));');
  });

  it('skips other writers with no runtime equivalent', () => {
    const site = skipped('a.ts', lines('let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());', 'export function replace(next: Db): void {', '  db = next;', '}'));
    expect(site.reason).toBe('other-writer');
    expect(site.message).toContain('`db = next`');
  });

  it('skips a slot whose type other code names with typeof', () => {
    const site = skipped('a.ts', lines('let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());', 'export type Snapshot = typeof db;'));
    expect(site.reason).toBe('unsupported-read');
  });

  it('skips a hoisted var that code before its declaration may use', () => {
    const site = skipped('a.js', lines('init();', 'var db;', 'function getDb() {', '  if (!db) db = {};', '  return db;', '}', 'function init() {', '  getDb();', '}'));
    expect(site.reason).toBe('unsupported-shape');
    expect(run('b.js', lines('var db;', 'function getDb() {', '  if (!db) db = {};', '  return db;', '}', 'init();')).output).toContain('const db = new LazyCell(() => ({}));');
  });

  it('skips a TypeScript slot whose type it cannot name', () => {
    expect(skipped('a.ts', lines('let conn;', 'export function getConn(url: string) {', '  conn ??= connect(url);', '  return conn;', '}')).reason).toBe('unnameable-type');
  });

  it('skips a JavaScript slot whose JSDoc type it cannot retype for the cell', () => {
    const shared = skipped('a.js', lines('/** @type {Db | undefined} */', 'let db, other;', 'export const getDb = () => (db ??= new Db());', 'use(other);'));
    expect(shared).toMatchObject({ reason: 'unsupported-shape' });
    expect(shared.message).toContain('several variables');
    expect(skipped('b.js', lines('/** @type {*} */', 'let db;', 'export const getDb = () => (db ??= new Db());')).reason).toBe('unnameable-type');
    expect(skipped('c.js', lines('/** @type {undefined | null} */', 'let db;', 'export const getDb = () => (db ??= new Db());')).reason).toBe('unnameable-type');
  });

  it('skips a slot that `in` or `instanceof` narrows, whose reads a cell could not narrow', () => {
    const narrowed = (test: string) =>
      skipped(
        'a.ts',
        lines(
          'let v: A | B | undefined;',
          'export const get = (): A | B => (v ??= make());',
          `export const use = (): number => (v && ${test} ? v.a : 0);`,
        ),
      );
    expect(narrowed("'a' in v")).toMatchObject({ reason: 'unsupported-read', message: expect.stringContaining("`'a' in v` narrows the slot") });
    expect(narrowed('v instanceof A')).toMatchObject({ reason: 'unsupported-read', message: expect.stringContaining('`v instanceof A` narrows') });
  });

  it('skips a slot whose cell name the file already uses', () => {
    expect(skipped('a.ts', lines('class LazyCell {}', 'let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());')).reason).toBe('cell-name-conflict');
  });
});

describe('type-aware', () => {
  let project: ReturnType<typeof tempProject>;
  let engineOptions: EngineOptions;
  beforeAll(() => {
    project = tempProject({});
    const src = path.join(project.dir, 'src');
    mkdirSync(src);
    writeFileSync(
      path.join(src, 'lib.ts'),
      lines(
        'export class Db { close(): void {} }',
        'export function createDb() { return new Db(); }',
        'export function count(): number { return 1; }',
        'export async function connect(url: string) { return { url, open: true }; }',
        'interface Hidden { x: number }',
        'export function hidden(url: string): Hidden { return { x: url.length }; }',
        'export function find(name: string): Db | undefined { return name ? new Db() : undefined; }',
      ),
    );
    writeFileSync(
      path.join(src, 'a.ts'),
      lines(
        "import { connect, count, createDb, find, hidden } from './lib';",
        'let db;',
        'export function getDb() {',
        '  if (!db) db = createDb();',
        '  return db;',
        '}',
        'let n: number | undefined;',
        'export function getN(): number {',
        '  if (!n) n = count();',
        '  return n;',
        '}',
        'let conn;',
        'export async function getConn(url: string) {',
        '  if (!conn) conn = await connect(url);',
        '  return conn;',
        '}',
        'let h;',
        'export function getH(url: string) {',
        '  h ??= hidden(url);',
        '  return h;',
        '}',
        'export let shared: number[] | undefined;',
        'export const getShared = () => (shared ??= [1]);',
        'export let lonely: number[] | undefined;',
        'export const getLonely = () => (lonely ??= [1]);',
        'let found: ReturnType<typeof find>;',
        "export const getFound = () => (found ??= find('main'));",
      ),
    );
    writeFileSync(path.join(src, 'b.ts'), lines("import { shared } from './a';", 'export const first = shared?.[0];'));
    writeFileSync(path.join(project.dir, 'tsconfig.json'), tempTsconfig([path.join(src, 'a.ts'), path.join(src, 'b.ts')]));
    engineOptions = { typeAware: true, tsconfigPath: path.join(project.dir, 'tsconfig.json'), preserveFailureCaching: false };
  });
  afterAll(() => project.cleanup());

  it('names T with the checker, decides falsiness from types, and follows exported slots across files', async () => {
    const { readFileSync } = await import('node:fs');
    const file = path.join(project.dir, 'src/a.ts');
    const source = readFileSync(file, 'utf8');
    const { output, sites } = run(file, source, engineOptions);
    const outcomes = Object.fromEntries(sites.map((site) => [site.slot, site.reason ?? site.outcome]));
    expect(outcomes).toEqual({
      db: 'rewritten',
      n: 'falsy-initializer',
      conn: 'rewritten',
      h: 'unnameable-type',
      shared: 'exported-live-binding',
      lonely: 'rewritten',
      found: 'nullish-initializer',
    });
    expect(output).toContain('const db = new LazyCell(() => createDb());');
    expect(output).toContain('const conn = new OnceLock<{ url: string; open: boolean; }>();');
    expect(output).toContain('  return await conn.getOrInit(() => connect(url));');
    expect(sites.find((site) => site.slot === 'shared')?.message).toContain('b.ts');
    expect(newTypeErrors(file, source, output!)).toEqual([]);
  });
});

describe('type-aware, an exported binding nothing imports', () => {
  it('is rewritten, its export specifier kept', () => {
    const project = tempProject({ 'a.ts': lines('class Db {}', 'let db: Db | undefined;', 'export function getDb(): Db {', '  return (db ??= new Db());', '}', 'export { db };') });
    try {
      const file = path.join(project.dir, 'a.ts');
      writeFileSync(path.join(project.dir, 'tsconfig.json'), tempTsconfig([file]));
      const { output } = run(file, lines('class Db {}', 'let db: Db | undefined;', 'export function getDb(): Db {', '  return (db ??= new Db());', '}', 'export { db };'), {
        typeAware: true,
        tsconfigPath: path.join(project.dir, 'tsconfig.json'),
        preserveFailureCaching: false,
      });
      expect(output).toContain('const db = new LazyCell<Db>(() => new Db());');
      expect(output).toContain('\nexport { db };\n');
    } finally {
      project.cleanup();
    }
  });
});

describe('type-aware with a solution-style tsconfig.json', () => {
  it('finds the file in a referenced project, and keeps exported slots because other projects may use them', () => {
    const project = tempProject({});
    try {
      mkdirSync(path.join(project.dir, 'pkg/src'), { recursive: true });
      writeFileSync(path.join(project.dir, 'tsconfig.json'), JSON.stringify({ files: [], references: [{ path: './pkg' }] }));
      writeFileSync(
        path.join(project.dir, 'pkg/tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true, composite: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', types: [], outDir: 'dist' }, include: ['src'] }),
      );
      const file = path.join(project.dir, 'pkg/src/a.ts');
      const source = lines(
        'class Conn { constructor(readonly url: string) {} }',
        'const connect = (url: string) => new Conn(url);',
        'let conn;',
        'export function getConn(url: string) {',
        '  conn ??= connect(url);',
        '  return conn;',
        '}',
        'export let shared: Conn | undefined;',
        "export const getShared = () => (shared ??= new Conn('x'));",
      );
      writeFileSync(file, source);
      const { output, sites } = run(file, source, { typeAware: true, tsconfigPath: path.join(project.dir, 'tsconfig.json'), preserveFailureCaching: false });
      expect(output).toContain('const conn = new OnceCell<Conn>();');
      const shared = sites.find((site) => site.slot === 'shared');
      expect(shared).toMatchObject({ outcome: 'skipped', reason: 'exported-live-binding' });
      expect(shared?.message).toContain('project references');
    } finally {
      project.cleanup();
    }
  });
});

describe('sites that share a slot', () => {
  it('turns a store of the accessor\'s own value into a call of the accessor, on a class too', () => {
    const source = lines(
      'export class Repo {',
      '  private _db: Db | undefined;',
      '  private load(): Db {',
      '    if (!this._db) this._db = new Db();',
      '    return this._db;',
      '  }',
      '  query(sql: string) {',
      '    this._db ??= this.load();',
      '    return this._db.run(sql);',
      '  }',
      '}',
    );
    const { output, sites } = run('repo.ts', source);
    expect(sites.map((site) => site.outcome)).toEqual(['rewritten', 'rewritten']);
    expect(output).toContain('    return this._db.getOrInit(() => new Db());');
    // No initializer calls back into the cell: the second site calls the accessor, which fills it.
    expect(output).toContain('    return this.load().run(sql);');
    expect(output).not.toContain('getOrInit(() => this.load())');
  });

  it('skips a slot whose initializer reaches its accessor through another function, with the reason', () => {
    const source = lines(
      'let lib: Lib | undefined;',
      'function loadLib(): Lib {',
      '  if (lib == null) lib = load();',
      '  return lib;',
      '}',
      'const helper = (): Lib => wrap(loadLib());',
      'export function use(): Lib {',
      '  lib ??= helper();',
      '  return lib;',
      '}',
    );
    const { output, sites } = run('lib.ts', source);
    expect(output).toBeUndefined();
    expect(sites.map((site) => site.reason)).toEqual(['reentrant-initializer', 'reentrant-initializer']);
    expect(sites[0]!.message).toContain('`loadLib`');
  });

  it('skips an initializer that calls its own accessor', () => {
    const source = lines('let tree: Node | undefined;', 'export function root(): Node {', '  tree ??= build(() => root());', '  return tree;', '}');
    expect(run('tree.ts', source).sites.map((site) => site.reason)).toEqual(['reentrant-initializer']);
  });
});

describe('comments', () => {
  it('keeps the comments inside a rewritten site', () => {
    const source = lines(
      'class Finder {',
      '  #index: SearchIndex | undefined;',
      '  find(q: string) {',
      '    this.#index ??= buildIndex(); // built on first use',
      '    return this.#index.find(q);',
      '  }',
      '  size() {',
      '    if (!this.#index) {',
      '      // the expensive part',
      '      this.#index = buildIndex();',
      '    }',
      '    /* ready now */',
      '    return this.#index;',
      '  }',
      '}',
    );
    const { output } = run('finder.ts', source);
    expect(output).toContain('    // built on first use\n    return this.#index.getOrInit(() => buildIndex()).find(q);');
    expect(output).toContain('    // the expensive part\n    /* ready now */\n    return this.#index.getOrInit(() => buildIndex());');
  });

  it('keeps a comment of an expression guard inline', () => {
    const source = lines('let db: Db | undefined;', 'export const getDb = (): Db => db ?? (/* first call */ db = new Db());');
    expect(run('db.ts', source).output).toContain('/* first call */ db.value');
  });
});

describe('readable output', () => {
  it('drops a constructor\'s `= null` instead of leaving a dead take()', () => {
    const source = lines(
      'class Svc {',
      '  private _db: Db | null;',
      '  constructor(url: string) {',
      '    this.url = url;',
      '    this._db = null;',
      '  }',
      '  get db(): Db {',
      '    if (this._db === null) this._db = new Db();',
      '    return this._db;',
      '  }',
      '}',
    );
    const { output } = run('svc.ts', source);
    expect(output).toContain('  constructor(url: string) {\n    this.url = url;\n  }\n');
    expect(output).not.toContain('take()');
  });

  it('keeps an optional chain on a narrowed read without a `!` before it', () => {
    const source = lines(
      'let db: Db | undefined;',
      'export function getDb(): Db {',
      '  return (db ??= new Db());',
      '}',
      'export function name(): string | undefined {',
      '  if (db) return db?.name;',
      '  return undefined;',
      '}',
    );
    const { output } = run('db.ts', source);
    expect(output).toContain('  if (db.get()) return db.get()?.name;');
    expect(output).not.toContain('!?.');
  });
});

describe('type-aware, each rewrite type-checked before it is written', () => {
  let project: ReturnType<typeof tempProject>;
  const file = (): string => path.join(project.dir, 'src', 'a.ts');
  const source = lines(
    "interface A { kind: 'a'; a: number }",
    "interface B { kind: 'b'; b: string }",
    'declare function make(): A | B;',
    'let v: A | B | undefined;',
    'export function get(): A | B {',
    '  if (!v) v = make();',
    '  return v;',
    '}',
    'export function use(): number {',
    "  if (v && v.kind === 'a') return v.a;",
    '  return 0;',
    '}',
    'let list: number[] | undefined;',
    'export const getList = (): number[] => (list ??= [1]);',
    "export const broken: number = 'already wrong';",
  );
  beforeAll(() => {
    project = tempProject({});
    mkdirSync(path.join(project.dir, 'src'));
    writeFileSync(file(), source);
    // No `paths` and no node_modules: the runtime resolves to the one the codemod ships with.
    writeFileSync(
      path.join(project.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, skipLibCheck: true, types: [] },
        include: ['src'],
      }),
    );
  });
  afterAll(() => project.cleanup());

  it('leaves a slot whose rewrite would add a type error, quoting it, and rewrites the others', () => {
    const engineOptions: EngineOptions = { typeAware: true, tsconfigPath: path.join(project.dir, 'tsconfig.json'), preserveFailureCaching: false };
    const { output, sites } = run(file(), source, engineOptions);
    const [v, list] = sites as [SiteReport, SiteReport];
    expect(v).toMatchObject({ slot: 'v', outcome: 'skipped', reason: 'type-error' });
    // `v.kind === 'a'` narrowed the variable; the same test on `v.get()` narrows nothing.
    expect(v.message).toBe(
      "Left `v` as it is: it was not rewritten because the rewritten file would not type-check (TS2339 at line 11: Property 'a' does not exist on type 'A | B').",
    );
    expect(list).toMatchObject({ slot: 'list', outcome: 'rewritten' });
    expect(output).toContain("import { LazyCell } from '@lazy-init/runtime';");
    expect(output).toContain('let v: A | B | undefined;');
    expect(output).toContain('const list = new LazyCell<number[]>(() => [1]);');
    // The error the file already had does not count against the rewrite.
    expect(newTypeErrors(file(), source, output!)).toEqual([]);
  });
});

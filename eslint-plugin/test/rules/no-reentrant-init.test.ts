import rule from '../../src/rules/no-reentrant-init.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const runtimeImport = "import { LazyCell, LazyLock, OnceCell, OnceLock, LazyInit } from '@lazy-init/runtime';";

ruleTester.run('no-reentrant-init', rule, {
  valid: [
    // Two cells that read each other only in one direction.
    `${runtimeImport}
const a = new LazyCell(() => 1);
const b = new LazyCell(() => a.value + 1);`,
    // A local class that happens to be called LazyCell is not the runtime's.
    `class LazyCell { constructor(fn) { this.fn = fn; } get value() { return this.fn(); } }
const a = new LazyCell(() => b.value);
const b = new LazyCell(() => a.value);`,
    // The peek `get()` never starts an initialization.
    `${runtimeImport}
const cell = new OnceCell();
export const read = () => cell.getOrInit(() => (cell.get() ?? 0) + 1);`,
    // A function that is only returned or stored does not run during initialization.
    `${runtimeImport}
const handlers = new LazyCell(() => ({ onReady: () => handlers.value }));`,
    // Timers and listeners run later, when the cell is ready.
    `${runtimeImport}
const a = new LazyCell(() => { setTimeout(() => a.value, 0); return 1; });`,
    `${runtimeImport}
const emitter = new LazyCell(() => { const e = createEmitter(); e.on('x', () => emitter.value); return e; });`,
    // A sync cell's promise continuation runs after the cell has stored its promise.
    `${runtimeImport}
const data = new LazyCell(() => fetchData().then(() => data.value));`,
    // The cycle is longer than `maxDepth` allows.
    {
      code: `${runtimeImport}
const a = new LazyCell(() => b.value);
const b = new LazyCell(() => c.value);
const c = new LazyCell(() => a.value);`,
      options: [{ maxDepth: 2 }],
    },
    // Different instances: `other.compute()` is not followed, only `this`.
    `${runtimeImport}
class Node {
  #size = new OnceCell();
  size() { return this.#size.getOrInit(() => this.children.reduce((n, c) => n + c.size(), 1)); }
}`,
    // A reassigned binding may hold another function when it is called.
    `${runtimeImport}
let next = () => cell.value;
next = () => 0;
const cell = new LazyCell(() => next());`,
    // Writers that never wait: `set`, `take` and a lock's `reset`.
    `${runtimeImport}
const lock = new OnceLock();
export const load = () => lock.getOrInit(async () => { lock.set(1); lock.take(); await lock.reset(); return 2; });`,
    // Another module's cells are unknown: no import, no report.
    `const a = new LazyCell(() => a.value);`,
    // Hand-rolled: the initializer reads the slot itself (undefined), not the accessor.
    `let cache;
export function getCache() {
  if (!cache) cache = { size: cache?.size ?? 0 };
  return cache;
}`,
    // Hand-rolled: the accessor is only reached from a callback the initializer stores.
    `let client;
export function getClient() {
  if (client === undefined) client = createClient({ onReconnect: () => getClient().reset() });
  return client;
}`,
    // Hand-rolled: another object's getter of the same name is not the accessor.
    `export function createNode(parent) {
  return {
    _depth: undefined,
    get depth() { return (this._depth ??= parent ? parent.depth + 1 : 0); },
  };
}`,
    // Hand-rolled: recursion into another instance's accessor is not followed.
    `class Scope {
  #depth;
  get depth() { return this.#depth ??= (this.parent ? this.parent.depth + 1 : 0); }
}`,
  ],
  invalid: [
    {
      code: `${runtimeImport}
const a = new LazyCell(() => b.value + 1);
const b = new LazyCell(() => a.value);`,
      errors: [
        {
          messageId: 'reentrantCell',
          data: { cell: 'a', path: '`a -> b -> a`' },
          line: 2,
          column: 24,
          endLine: 2,
          endColumn: 41,
        },
        {
          messageId: 'reentrantCell',
          data: { cell: 'b', path: '`b -> a -> b`' },
          line: 3,
          column: 24,
          endLine: 3,
          endColumn: 37,
        },
      ],
    },
    {
      // Renamed and namespace imports, and `force()`.
      code: `import { LazyCell as Lazy } from '@lazy-init/runtime';
import * as rt from '@lazy-init/runtime';
const a = new Lazy(() => b.force());
const b = new rt.LazyCell(function build() { return helper(); });
function helper() { return a.value; }`,
      errors: [
        { messageId: 'reentrantCell', data: { cell: 'a', path: '`a -> b -> helper() -> a`' }, line: 3, column: 20 },
        { messageId: 'reentrantCell', data: { cell: 'b', path: '`b -> helper() -> a -> b`' }, line: 4, column: 27 },
      ],
    },
    {
      // The initializer reads its own cell directly.
      code: `const { LazyCell } = require('@lazy-init/runtime');
const self = new LazyCell(() => self.value);`,
      errors: [{ messageId: 'reentrantCell', data: { cell: 'self', path: '`self -> self`' }, line: 2, column: 27, endColumn: 43 }],
    },
    {
      // An accessor wrapping a per-call initializer.
      code: `${runtimeImport}
const config = new OnceCell();
export function getConfig() {
  return config.getOrInit(() => loadDefaults());
}
const loadDefaults = () => ({ ...getConfig(), retries: 3 });`,
      errors: [
        {
          messageId: 'reentrantCell',
          data: { cell: 'config', path: '`config -> loadDefaults() -> getConfig() -> config`' },
          line: 4,
          column: 27,
          endLine: 4,
          endColumn: 47,
        },
      ],
    },
    {
      // A private field, a method called through `this`, a getter read through `this`.
      code: `${runtimeImport}
class Settings {
  #cell = new OnceCell();
  get all() { return this.#cell.getOrInit(() => this.compute()); }
  compute() { return { theme: this.theme }; }
  get theme() { return this.all.theme ?? 'dark'; }
}`,
      errors: [
        {
          messageId: 'reentrantCell',
          data: { cell: 'this.#cell', path: '`this.#cell -> this.compute() -> this.theme -> this.all -> this.#cell`' },
          line: 4,
          column: 43,
          endLine: 4,
          endColumn: 63,
        },
      ],
    },
    {
      // The same cycle needs four steps after the initializer: beyond a `maxDepth` of 3.
      code: `${runtimeImport}
class Settings {
  #cell = new OnceCell();
  get all() { return this.#cell.getOrInit(() => this.compute()); }
  compute() { return { theme: this.theme }; }
  get theme() { return this.all.theme ?? 'dark'; }
}
const x = new LazyCell(() => x.value);`,
      options: [{ maxDepth: 3 }],
      errors: [{ messageId: 'reentrantCell', line: 8 }],
    },
    {
      // Static field assigned in a static block, forced from a static method.
      code: `${runtimeImport}
class Registry {
  static instance;
  static { this.instance = new LazyCell(() => Registry.create()); }
  static create() { return new Map([['self', Registry.instance.value]]); }
}`,
      errors: [
        {
          messageId: 'reentrantCell',
          data: { cell: 'Registry.instance', path: '`Registry.instance -> Registry.create() -> Registry.instance`' },
          line: 4,
          column: 41,
        },
      ],
    },
    {
      // Async locks reject; a promise continuation inside a lock's initializer is part of its attempt.
      code: `${runtimeImport}
const db = new LazyLock(async () => connect().then(() => migrations.force()));
const migrations = new LazyLock(() => db.force().then(runMigrations));`,
      errors: [
        { messageId: 'reentrantLock', data: { cell: 'db', path: '`db -> migrations -> db`' }, line: 2, column: 25 },
        { messageId: 'reentrantLock', data: { cell: 'migrations', path: '`migrations -> db -> migrations`' }, line: 3, column: 33 },
      ],
    },
    {
      // OnceLock and LazyInit per-call initializers; callbacks handed to other functions count as called.
      code: `${runtimeImport}
const session = new OnceLock();
const setup = new LazyInit();
const getSession = () => session.getOrInit(async () => [1, 2].map(() => setup.init(startSetup)));
async function startSetup() { return getSession(); }`,
      errors: [
        {
          messageId: 'reentrantLock',
          data: { cell: 'session', path: '`session -> setup -> startSetup() -> getSession() -> session`' },
          line: 4,
          column: 44,
        },
        {
          messageId: 'reentrantLock',
          data: { cell: 'setup', path: '`setup -> startSetup() -> getSession() -> session -> setup`' },
          line: 4,
          column: 84,
          endColumn: 94,
        },
      ],
    },
    {
      // Cells declared with `let` and assigned later, an IIFE, a `new Promise` executor, TypeScript wrappers.
      code: `import { LazyCell, LazyLock } from '@lazy-init/runtime';
let a: LazyCell<number>;
a = new LazyCell(() => (() => a!.value)()) as LazyCell<number>;
const p = new LazyLock(() => new Promise<number>((resolve) => resolve(p.force())));`,
      errors: [
        { messageId: 'reentrantCell', data: { cell: 'a', path: '`a -> a`' }, line: 3, column: 18 },
        { messageId: 'reentrantLock', data: { cell: 'p', path: '`p -> p`' }, line: 4, column: 24 },
      ],
    },
    {
      // Waiting on itself: \`wait()\`, \`tryInsert\` with no value yet, \`LazyInit#reset\` queued behind itself.
      code: `${runtimeImport}
const lock = new LazyLock(async () => { await lock.wait(); return 1; });
const cell = new OnceCell();
export const read = () => cell.getOrInit(() => cell.tryInsert(0).value);
const session = new LazyInit();
export const start = () => session.init(async () => { await session.reset(); return 'token'; });`,
      errors: [
        { messageId: 'reentrantLock', data: { cell: 'lock', path: '`lock -> lock`' }, line: 2, column: 27 },
        { messageId: 'reentrantCell', data: { cell: 'cell', path: '`cell -> cell`' }, line: 4, column: 42 },
        { messageId: 'reentrantLock', data: { cell: 'session', path: '`session -> session`' }, line: 6, column: 41 },
      ],
    },
    {
      // Methods and getters inherited from a base class in the same file, and \`super.m()\`.
      code: `${runtimeImport}
class Base {
  load() { return this.all.length; }
  get count() { return this.all.length; }
}
class Repo extends Base {
  #rows = new OnceCell();
  get all() { return this.#rows.getOrInit(() => [this.load()]); }
}
class Counter extends Base {
  #total = new OnceCell();
  get all() { return this.#total.getOrInit(() => [super.count]); }
}`,
      errors: [
        { messageId: 'reentrantCell', data: { cell: 'this.#rows', path: '`this.#rows -> this.load() -> this.all -> this.#rows`' }, line: 8, column: 43 },
        { messageId: 'reentrantCell', data: { cell: 'this.#total', path: '`this.#total -> this.count -> this.all -> this.#total`' }, line: 12, column: 44 },
      ],
    },
    {
      // Hand-rolled module accessor.
      code: `let settings;
export function getSettings() {
  if (settings === undefined) settings = readSettings();
  return settings;
}
function readSettings() {
  return { theme: getSettings().theme ?? 'dark' };
}`,
      errors: [
        {
          messageId: 'reentrantAccessor',
          data: { cell: 'getSettings()', path: '`getSettings() -> readSettings() -> getSettings()`' },
          line: 3,
          column: 42,
          endLine: 3,
          endColumn: 56,
        },
      ],
    },
    {
      // Hand-rolled memo getter reached through a method.
      code: `class Theme {
  #palette;
  get palette() { return this.#palette ??= this.build(); }
  build() { return { accent: this.palette.base ?? 'blue', base: 'white' }; }
}`,
      errors: [
        {
          messageId: 'reentrantAccessor',
          data: { cell: 'this.palette', path: '`this.palette -> this.build() -> this.palette`' },
          line: 3,
          column: 44,
          endColumn: 56,
        },
      ],
    },
    {
      // Hand-rolled static singleton whose constructor asks for the instance.
      code: `class Service {
  static #instance;
  static getInstance() {
    if (!Service.#instance) Service.#instance = new Service();
    return Service.#instance;
  }
  constructor() { this.peer = Service.getInstance(); }
}`,
      errors: [
        {
          messageId: 'reentrantAccessor',
          data: { cell: 'Service.getInstance()', path: '`Service.getInstance() -> new Service() -> Service.getInstance()`' },
          line: 4,
          column: 49,
        },
      ],
    },
    {
      // Hand-rolled object-literal getter in a factory, and an object method reached through the binding.
      code: `export function createApi(config) {
  return {
    _client: undefined,
    get client() { return (this._client ??= connect(this.settings)); },
    get settings() { return { ...config, session: this.client.session }; },
  };
}
const registry = {
  cache: undefined,
  load() { return this.cache ??= this.build(); },
  build() { return { parent: registry.load() }; },
};`,
      errors: [
        { messageId: 'reentrantAccessor', data: { cell: 'client', path: '`client -> settings -> client`' }, line: 4, column: 45 },
        { messageId: 'reentrantAccessor', data: { cell: 'load()', path: '`load() -> build() -> load()`' }, line: 10, column: 34 },
      ],
    },
    {
      // Hand-rolled promise cache whose loader awaits the accessor.
      code: `let pending;
export function getSchema() {
  if (!pending) pending = loadSchema();
  return pending;
}
async function loadSchema() {
  const base = await getSchema();
  return { ...base, version: 2 };
}`,
      errors: [
        {
          messageId: 'reentrantAsyncAccessor',
          data: { cell: 'getSchema()', path: '`getSchema() -> loadSchema() -> getSchema()`' },
          line: 3,
          column: 27,
        },
      ],
    },
  ],
});

import rule from '../../src/rules/prefer-lazy-primitive.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('prefer-lazy-primitive', rule, {
  valid: [
    // Parameter defaulting and per-call locals do not outlive the call.
    `export function render(options?: { escape?: boolean }) { options ??= {}; return options; }`,
    `export function edit(code: string) { let s: MagicString | undefined; s ||= new MagicString(code); return s; }`,
    // A once-flag that fires an event stores `true`, not a created value.
    `let warned = false;
export function warn() { if (!warned) { warned = true; console.warn('deprecated'); } }`,
    // Async and promise sites belong to no-async-init-race and no-cached-rejection.
    `let pool: Pool | undefined;
export async function getPool() { if (!pool) pool = await createPool(); return pool; }`,
    `let config: Promise<Config> | undefined;
export function getConfig() { return (config ??= fetch('/config').then((r) => r.json())); }`,
    // Eager defaulting in a constructor.
    `export class Server { logger?: Logger; constructor() { this.logger ??= createLogger(); } }`,
    // The code is text.
    "export const snippet = 'let db; function getDb() { if (!db) db = connect(); return db; }';",
    // Slot kinds can be narrowed.
    {
      code: `let parser: Parser | undefined;
export function getParser(): Parser { return (parser ??= new Parser()); }`,
      options: [{ slotKinds: ['instance', 'static'] }],
    },
  ],
  invalid: [
    {
      // A private module slot, one accessor, an initializer that is never falsy: provably safe, so autofixed.
      code: `import { readFileSync } from 'node:fs';

let cache: Map<string, string> | undefined;

export function getCache(): Map<string, string> {
  if (cache === undefined) cache = new Map(JSON.parse(readFileSync('cache.json', 'utf8')));
  return cache;
}
`,
      output: `import { readFileSync } from 'node:fs';
import { OnceCell } from '@lazy-init/runtime';

const cache = new OnceCell<Map<string, string>>();

export function getCache(): Map<string, string> {
  return cache.getOrInit(() => new Map(JSON.parse(readFileSync('cache.json', 'utf8'))));
}
`,
      errors: [{ messageId: 'preferLazyPrimitive', data: { slot: 'cache', cell: 'OnceCell' }, line: 6, column: 3, endLine: 6, endColumn: 92 }],
    },
    {
      // The same site with `autofix: false` is only a suggestion; the file's double quotes and missing semicolons are kept.
      code: `let collator
export const getCollator = () => collator ?? (collator = new Intl.Collator("en"))
`,
      filename: 'file.js',
      options: [{ autofix: false }],
      output: null,
      errors: [
        {
          messageId: 'preferLazyPrimitive',
          line: 2,
          column: 34,
          endLine: 2,
          endColumn: 82,
          suggestions: [
            {
              messageId: 'suggestCell',
              data: { slot: 'collator', cell: 'OnceCell' },
              output: `import { OnceCell } from "@lazy-init/runtime"

const collator = new OnceCell()
export const getCollator = () => collator.getOrInit(() => new Intl.Collator("en"))
`,
            },
          ],
        },
      ],
    },
    {
      // `!db` with an initializer that may return a falsy value: the rewrite would change behaviour, so a suggestion.
      code: `import { OnceLock } from '@lazy-init/runtime';
let db: Db | undefined;
export function getDb(): Db {
  if (!db) db = createDb();
  return db;
}
`,
      output: null,
      errors: [
        {
          messageId: 'preferLazyPrimitiveFalsy',
          data: { slot: 'db', cell: 'OnceCell' },
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 28,
          suggestions: [
            {
              messageId: 'suggestCell',
              output: `import { OnceLock, OnceCell } from '@lazy-init/runtime';
const db = new OnceCell<Db>();
export function getDb(): Db {
  return db.getOrInit(() => createDb());
}
`,
            },
          ],
        },
      ],
    },
    {
      // An instance memo getter: a suggestion that turns the field into a cell.
      code: `export class Document {
  private _parser?: Parser;
  constructor(private readonly text: string) {}
  get parser(): Parser {
    return (this._parser ??= new Parser(this.text));
  }
}
`,
      output: null,
      errors: [
        {
          messageId: 'preferLazyPrimitive',
          data: { slot: 'this._parser', cell: 'OnceCell' },
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 51,
          suggestions: [
            {
              messageId: 'suggestCell',
              output: `import { OnceCell } from '@lazy-init/runtime';

export class Document {
  private _parser = new OnceCell<Parser>();
  constructor(private readonly text: string) {}
  get parser(): Parser {
    return this._parser.getOrInit(() => new Parser(this.text));
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      // A static singleton with an early return and a reset: the reset becomes `take()`.
      code: `export class Clock {
  static #instance: Clock | undefined;
  static get(): Clock {
    if (Clock.#instance) return Clock.#instance;
    Clock.#instance = new Clock();
    return Clock.#instance;
  }
  static reset(): void {
    Clock.#instance = undefined;
  }
}
`,
      output: null,
      errors: [
        {
          messageId: 'preferLazyPrimitive',
          data: { slot: 'Clock.#instance', cell: 'OnceCell' },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 49,
          suggestions: [
            {
              messageId: 'suggestCell',
              output: `import { OnceCell } from '@lazy-init/runtime';

export class Clock {
  static #instance = new OnceCell<Clock>();
  static get(): Clock {
    return Clock.#instance.getOrInit(() => new Clock());
  }
  static reset(): void {
    Clock.#instance.take();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      // A closure slot behind an object getter in a factory: autofixed, the import goes before the first statement.
      code: `export function createClient(url: string) {
  let connection: Connection | undefined;
  return {
    get connection(): Connection {
      return (connection ??= new Connection(url));
    },
  };
}
`,
      output: `import { OnceCell } from '@lazy-init/runtime';

export function createClient(url: string) {
  const connection = new OnceCell<Connection>();
  return {
    get connection(): Connection {
      return connection.getOrInit(() => new Connection(url));
    },
  };
}
`,
      errors: [{ messageId: 'preferLazyPrimitive', line: 5, column: 15, endLine: 5, endColumn: 49 }],
    },
    {
      // `null` means "disabled": no rewrite is offered, because `take()` would re-enable creation.
      code: `let telemetry: Telemetry | null | undefined;
export function disable() { telemetry = null; }
export function getTelemetry() {
  if (telemetry === undefined) telemetry = new Telemetry();
  return telemetry;
}
`,
      output: null,
      errors: [{ messageId: 'preferLazyPrimitive', line: 4, column: 3, endLine: 4, endColumn: 60, suggestions: [] }],
    },
    {
      // A global slot is read by other modules: reported without a rewrite.
      code: `export function registry() {
  if (typeof globalThis.__registry === 'undefined') globalThis.__registry = new Registry();
  return globalThis.__registry;
}
`,
      output: null,
      errors: [{ messageId: 'preferLazyPrimitive', data: { slot: 'globalThis.__registry', cell: 'OnceCell' }, line: 2, column: 3, endLine: 2, endColumn: 92, suggestions: [] }],
    },
    {
      // An exported live binding is never rewritten.
      code: `export let shared: Shared | undefined;
export function getShared() { return (shared ??= new Shared()); }
`,
      output: null,
      errors: [{ messageId: 'preferLazyPrimitive', line: 2, column: 39, endLine: 2, endColumn: 62, suggestions: [] }],
    },
    {
      // CommonJS files get a \`require\` destructuring, merged into an existing one.
      code: `const { LazyLock } = require('@lazy-init/runtime');
let schema;
function getSchema() {
  schema = schema ?? compileSchema();
  return schema;
}
module.exports = { getSchema, LazyLock };
`,
      filename: 'file.js',
      output: null,
      errors: [
        {
          messageId: 'preferLazyPrimitive',
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 37,
          suggestions: [
            {
              messageId: 'suggestCell',
              output: `const { LazyLock, OnceCell } = require('@lazy-init/runtime');
const schema = new OnceCell();
function getSchema() {
  return schema.getOrInit(() => compileSchema());
}
module.exports = { getSchema, LazyLock };
`,
            },
          ],
        },
      ],
    },
  ],
});

import rule from '../../src/rules/no-async-init-race.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('no-async-init-race', rule, {
  valid: [
    // Checked again after the await: only the first caller stores.
    `let store: Store | undefined;
export async function getStore() {
  if (!store) {
    const created = await openStore();
    if (!store) store = created;
  }
  return store;
}`,
    // \`??=\` after the await re-checks the slot.
    `let store: Store | undefined;
export async function getStore() {
  if (!store) {
    const created = await openStore();
    store ??= created;
  }
  return store;
}`,
    // A per-call options object, not a long-lived slot.
    `export async function build(options: { config?: Config }) { options.config ??= await loadConfig(); return options; }`,
    // A promise cached without awaiting is a different problem (no-cached-rejection).
    `let ready: Promise<void> | undefined;
export function init() { return (ready ??= start()); }`,
    // Synchronous lazy initialization.
    `let db: Db | undefined;
export function getDb() { if (!db) db = createDb(); return db; }`,
    // Slot kinds can be narrowed.
    {
      code: `export class Api { #client?: Client; async get() { if (!this.#client) this.#client = await connect(); return this.#client; } }`,
      options: [{ slotKinds: ['module'] }],
    },
  ],
  invalid: [
    {
      code: `let pool: Pool | undefined;

export async function getPool(): Promise<Pool> {
  if (!pool) {
    pool = await createPool({ max: 10 });
  }
  return pool;
}
`,
      errors: [
        {
          messageId: 'asyncInitRace',
          data: { slot: 'pool' },
          line: 4,
          column: 3,
          endLine: 6,
          endColumn: 4,
          suggestions: [
            {
              messageId: 'suggestOnceLock',
              data: { slot: 'pool' },
              output: `import { OnceLock } from '@lazy-init/runtime';

const pool = new OnceLock<Pool>();

export async function getPool(): Promise<Pool> {
  return pool.getOrInit(() => createPool({ max: 10 }));
}
`,
            },
          ],
        },
      ],
    },
    {
      // \`await\` nested in the right-hand side of \`??=\`: the slot is tested before the await.
      code: `let banner: string | undefined;
export async function getBanner(): Promise<string> {
  banner ??= 'v' + (await readVersion());
  return banner;
}
`,
      errors: [
        {
          messageId: 'asyncInitRace',
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 41,
          suggestions: [
            {
              messageId: 'suggestOnceLock',
              output: `import { OnceLock } from '@lazy-init/runtime';

const banner = new OnceLock<string>();
export async function getBanner(): Promise<string> {
  return banner.getOrInit(async () => 'v' + (await readVersion()));
}
`,
            },
          ],
        },
      ],
    },
    {
      // The initializer is computed by earlier statements: reported without a rewrite.
      code: `export class Api {
  #client?: HttpClient;
  async request(path: string) {
    if (!this.#client) {
      const token = await this.auth.token();
      this.#client = new HttpClient({ token });
    }
    return this.#client.get(path);
  }
  constructor(private readonly auth: Auth) {}
}
`,
      errors: [{ messageId: 'asyncInitRace', data: { slot: 'this.#client' }, line: 4, column: 5, endLine: 7, endColumn: 6, suggestions: [] }],
    },
    {
      // Early return, then an awaited store.
      code: `export const loader = {
  async settings(): Promise<Settings> {
    if (this.cached) return this.cached;
    this.cached = await readSettings();
    return this.cached;
  },
  cached: undefined as Settings | undefined,
};
`,
      errors: [{ messageId: 'asyncInitRace', data: { slot: 'loader.cached' }, line: 3, column: 5, endLine: 3, endColumn: 41, suggestions: [] }],
    },
  ],
});

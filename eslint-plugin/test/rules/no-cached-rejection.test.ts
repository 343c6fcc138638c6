import rule from '../../src/rules/no-cached-rejection.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('no-cached-rejection', rule, {
  valid: [
    // Cleared when it rejects: the next call retries.
    `let session: Promise<Session> | undefined;
export function getSession() {
  if (!session) {
    session = login().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
  }
  return session;
}`,
    // Cleared in a \`catch\` clause of the accessor.
    `let session: Promise<Session> | undefined;
export async function getSession() {
  session ??= login();
  try {
    return await session;
  } catch (error) {
    session = undefined;
    throw error;
  }
}`,
    // Single-flight: cleared when it settles, so nothing is cached.
    `let refreshing: Promise<Token> | undefined;
export async function refresh() {
  if (!refreshing) refreshing = requestToken();
  try { return await refreshing; } finally { refreshing = undefined; }
}`,
    `let inFlight: Promise<void> | undefined;
export function sync() { return (inFlight ??= push().finally(() => { inFlight = undefined; })); }`,
    // The awaited value is cached, not the promise.
    `let pool: Pool | undefined;
export async function getPool() { if (!pool) pool = await createPool(); return pool; }`,
    // A promise cache on a per-call object.
    `export function load(request: { body?: Promise<string> }) { return (request.body ??= readBody()); }`,
    // Slot kinds can be narrowed.
    {
      code: `let manifest: Promise<Manifest> | undefined;
export function loadManifest() { return (manifest ??= fetch('/manifest.json').then((r) => r.json())); }`,
      options: [{ slotKinds: ['instance'] }],
    },
  ],
  invalid: [
    {
      code: `let manifest: Promise<Manifest> | undefined;

export function loadManifest(): Promise<Manifest> {
  manifest ??= fetch('/manifest.json').then((response) => response.json());
  return manifest;
}
`,
      errors: [
        {
          messageId: 'cachedRejection',
          data: { slot: 'manifest' },
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 75,
          suggestions: [
            {
              messageId: 'suggestOnceLock',
              data: { slot: 'manifest' },
              output: `import { OnceLock } from '@lazy-init/runtime';

const manifest = new OnceLock<Manifest>();

export function loadManifest(): Promise<Manifest> {
  return manifest.getOrInit(() => fetch('/manifest.json').then((response) => response.json()));
}
`,
            },
          ],
        },
      ],
    },
    {
      // A promise from an async method, cached on the instance.
      code: `export class Catalog {
  private pending?: Promise<Item[]>;
  items(): Promise<Item[]> {
    if (this.pending === undefined) this.pending = this.fetchItems();
    return this.pending;
  }
  private async fetchItems(): Promise<Item[]> {
    return [];
  }
}
`,
      errors: [
        {
          messageId: 'cachedRejection',
          data: { slot: 'this.pending' },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 70,
          suggestions: [
            {
              messageId: 'suggestOnceLock',
              output: `import { OnceLock } from '@lazy-init/runtime';

export class Catalog {
  private pending = new OnceLock<Item[]>();
  items(): Promise<Item[]> {
    return this.pending.getOrInit(() => this.fetchItems());
  }
  private async fetchItems(): Promise<Item[]> {
    return [];
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      // A promise slot that replaces itself with the resolved value still keeps a rejection.
      code: `let config;
export function getConfig() {
  if (!config) {
    config = import('./config.js').then((module) => (config = module.default));
  }
  return config;
}
`,
      filename: 'file.js',
      errors: [{ messageId: 'cachedRejection', line: 3, column: 3, endLine: 5, endColumn: 4, suggestions: [] }],
    },
    {
      // A promise stored on \`globalThis\`.
      code: `export function ready() {
  return globalThis.__ready || (globalThis.__ready = new Promise((resolve) => setTimeout(resolve, 10)));
}
`,
      errors: [{ messageId: 'cachedRejection', data: { slot: 'globalThis.__ready' }, line: 2, column: 10, endLine: 2, endColumn: 104, suggestions: [] }],
    },
  ],
});

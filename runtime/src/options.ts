/**
 * Options every constructor takes.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceCell, type CellOptions } from '@lazy-init/runtime';
 *
 * const options: CellOptions = { name: 'config' };
 * assert.strictEqual(String(new OnceCell(options)), 'OnceCell(config) <empty>');
 * ```
 */
export interface CellOptions {
  /**
   * Names the cell in errors (`ReentrantInitError.cycle`), `toString()` and `util.inspect`.
   * Defaults to the initializer's own function name when the constructor is given one.
   */
  name?: string | undefined;
}

/**
 * Options of `OnceLock` and `LazyLock`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyLock, type LockOptions } from '@lazy-init/runtime';
 *
 * let calls = 0;
 * const options: LockOptions = { name: 'legacy', failure: 'cache' };
 * const lock = new LazyLock(() => (calls++, Promise.reject(new Error('down'))), options);
 * await assert.rejects(lock.force(), /down/);
 * await assert.rejects(lock.force(), /down/); // replayed, not retried
 * assert.strictEqual(calls, 1);
 * ```
 */
export interface LockOptions extends CellOptions {
  /**
   * `'retry'` (default): a failed attempt leaves the lock empty and the next call runs an initializer again.
   * `'cache'`: the first failure is kept (state `'failed'`) and replayed to every later caller until `reset()`,
   * the way a cached promise behaves. A failure after every waiter aborted is never cached.
   */
  failure?: 'retry' | 'cache' | undefined;
}

/**
 * Options of the waiting methods: `getOrInit`, `force`, `init` and `wait` on the async types.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceLock, type SignalOptions } from '@lazy-init/runtime';
 *
 * const lock = new OnceLock<number>();
 * const controller = new AbortController();
 * const options: SignalOptions = { signal: controller.signal };
 * setTimeout(() => controller.abort(new Error('took too long')), 10);
 * await assert.rejects(lock.wait(options), /took too long/);
 * ```
 */
export interface SignalOptions {
  /** Ends this caller's wait only: its promise rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * The state the sync cells and `LazyInit` report: `'initializing'` while an initializer runs.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyCell, type InitState } from '@lazy-init/runtime';
 *
 * const cell = new LazyCell(() => 1);
 * const before: InitState = cell.state;
 * void cell.value;
 * assert.deepStrictEqual([before, cell.state], ['empty', 'ready']);
 * ```
 */
export type InitState = 'empty' | 'initializing' | 'ready';

/**
 * The state of `OnceLock` and `LazyLock`: `InitState`, plus `'failed'` under `failure: 'cache'`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceLock, type LockState } from '@lazy-init/runtime';
 *
 * const lock = new OnceLock<number>({ failure: 'cache' });
 * await lock.getOrInit(() => Promise.reject(new Error('x'))).catch(() => {});
 * const state: LockState = lock.state;
 * assert.strictEqual(state, 'failed');
 * ```
 */
export type LockState = InitState | 'failed';

const fail = (what: string, type: string): never => {
  throw new TypeError(`Expected \`${what}\` to be ${type}.`);
};

/** Checks an initializer argument. */
export const initializerArg = <F extends object>(initializer: F | undefined): F =>
  typeof initializer == 'function' ? initializer : fail('initializer', 'a function');

type Known = Required<LockOptions & SignalOptions>;

/** Checks an options argument (an object or `undefined`) and reads its field `key`, checking that too. */
export const option = <K extends keyof Known>(options: Partial<Pick<Known, K>> | undefined, key: K): Known[K] | undefined => {
  const value: any = // eslint-disable-line @typescript-eslint/no-explicit-any -- the value is being checked.
    options === undefined || (options && typeof options == 'object') ? options?.[key] : fail('options', 'an object');
  return value === undefined ||
    (key == 'name' ? typeof value == 'string' : key == 'signal' ? value?.addEventListener : value == 'retry' || value == 'cache')
    ? value
    : fail('options.' + key, key == 'name' ? 'a string' : key == 'signal' ? 'an AbortSignal' : "`'retry'` or `'cache'`");
};

/** A cell's name: the `name` option, else its initializer's name (for the types given one at construction), else `''`. */
export const nameOf = (options: CellOptions | undefined, initializer?: { readonly name: string }): string =>
  option(options, 'name') ?? initializer?.name ?? '';

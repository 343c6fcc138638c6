import { disposeAsync } from './dispose.js';
import { Lock, type AsyncInitializer } from './lock.js';
import { initializerArg, type LockOptions, type SignalOptions } from './options.js';

/**
 * An async value computed on first use by the initializer given at construction (Rust's `LazyLock`).
 *
 * Contract: the same single-flight, failure and abort rules as `OnceLock`: one initializer run at a time shared by
 * every caller, a failure rejects every caller of that attempt with the same error and the next `force()` retries
 * (or, under `failure: 'cache'`, replays it for good), `options.signal` ends one caller's wait, and the initializer's
 * signal aborts when every caller of the attempt has left. Once ready the lock drops its initializer. There is no
 * `reset` (as in Rust): use `OnceLock` or `LazyInit` for values that must be replaced.
 * `[Symbol.asyncDispose]()` disposes the value, so `await using` releases what it holds.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyLock } from '@lazy-init/runtime';
 *
 * let connects = 0;
 * const db = new LazyLock(async function db() {
 *   connects++;
 *   return { query: (sql: string) => sql.length };
 * });
 * const [a, b] = await Promise.all([db.force(), db.force()]);
 * assert.strictEqual(a, b);
 * assert.strictEqual(connects, 1);
 * assert.strictEqual(String(db), 'LazyLock(db) <ready>');
 * ```
 */
export class LazyLock<T> extends Lock<T> {
  /**
   * Creates an empty lock that runs `initializer` on the first `force()`. Throws `TypeError` if it is not a function
   * or for bad options.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyLock } from '@lazy-init/runtime';
   *
   * const lock = new LazyLock(() => Promise.resolve(92), { name: 'answer' });
   * assert.strictEqual(lock.state, 'empty');
   * assert.strictEqual(await lock.force(), 92);
   * ```
   */
  constructor(initializer: AsyncInitializer<T>, options?: LockOptions) {
    super(options, initializerArg(initializer));
  }

  protected _kind(): string {
    return 'LazyLock';
  }

  /**
   * The value: runs the initializer if nobody has yet (or joins the run in progress) and resolves with its value.
   * Rejects as `OnceLock.getOrInit` does.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyLock } from '@lazy-init/runtime';
   *
   * let calls = 0;
   * const flaky = new LazyLock(async () => {
   *   if (++calls === 1) throw new Error('cold start');
   *   return calls;
   * });
   * await assert.rejects(flaky.force(), /cold start/);
   * assert.strictEqual(await flaky.force(), 2);
   * ```
   */
  force(options?: SignalOptions): Promise<T> {
    return this.getOrInit(undefined, options);
  }

  /**
   * Disposes the value if it is there (`Symbol.asyncDispose`, else `Symbol.dispose`); does nothing otherwise. The
   * lock keeps the disposed value: its initializer is gone, so there is nothing to recompute (use `OnceLock` or
   * `LazyInit` for values that must be replaced).
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyLock } from '@lazy-init/runtime';
   *
   * let closed = false;
   * const conn = new LazyLock(async () => ({ [Symbol.asyncDispose]: async () => { closed = true; } }));
   * await conn.force();
   * await conn[Symbol.asyncDispose]();
   * assert.strictEqual(closed, true);
   * ```
   */
  override async [Symbol.asyncDispose](): Promise<void> {
    await disposeAsync(this.get());
  }
}

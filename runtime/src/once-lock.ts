import { Lock, type AsyncInitializer } from './lock.js';
import type { TryInsertResult } from './once-cell.js';
import type { LockOptions, SignalOptions } from './options.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging -- the class inherits every member the interface
   declares from `Lock`, where they are protected; the interface makes them public for `OnceLock` only. */

/** The public methods of `OnceLock`, implemented by the lock machinery it shares with `LazyLock` and `LazyInit`. */
export interface OnceLock<T> {
  /**
   * The value; when the lock is empty, runs `initializer` (or, while one runs, waits for it) and resolves with what
   * it resolves with. Rejects with the attempt's error, with `options.signal.reason` when that signal aborts first,
   * or with `ReentrantInitError` inside the lock's own initializer. Throws `TypeError` when `initializer` is needed
   * and is not a function, or for bad options.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const token = new OnceLock<string>();
   * await assert.rejects(token.getOrInit(async () => { throw new Error('401'); }), /401/);
   * assert.strictEqual(token.state, 'empty'); // failures are not cached: the next call retries
   * assert.strictEqual(await token.getOrInit(async () => 'abc'), 'abc');
   *
   * const controller = new AbortController();
   * const slow = new OnceLock<string>();
   * const waiting = slow.getOrInit((signal) => new Promise((resolve) => setTimeout(resolve, 20, signal.aborted ? 'late' : 'ok')), { signal: controller.signal });
   * controller.abort(new Error('gave up'));
   * await assert.rejects(waiting, /gave up/);
   * ```
   */
  getOrInit(initializer: AsyncInitializer<T>, options?: SignalOptions): Promise<T>;

  /**
   * Stores `value` if the lock is empty and says whether it did: `false` when ready, initializing or failed.
   * Callers of `wait()` are woken.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<number>();
   * assert.strictEqual(lock.set(1), true);
   * assert.strictEqual(lock.set(2), false);
   * assert.strictEqual(await lock.getOrInit(() => 3), 1);
   * ```
   */
  set(value: T): boolean;

  /**
   * Stores `value` if the lock is empty, otherwise reports the current value beside the rejected one. While an
   * initializer runs or a failure is cached there is nothing to report: throws an `Error` named `InitStateError`
   * (a `ReentrantInitError` inside the lock's own initializer).
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<string>();
   * assert.deepStrictEqual(lock.tryInsert('a'), { inserted: true, value: 'a' });
   * assert.deepStrictEqual(lock.tryInsert('b'), { inserted: false, value: 'a', rejected: 'b' });
   * ```
   */
  tryInsert(value: T): TryInsertResult<T>;

  /**
   * Empties the lock now and returns the value it held, undisposed (`undefined` when not ready). A running attempt
   * is detached: its signal aborts, its callers still get its outcome, but the lock does not store it.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<number>();
   * const pending = lock.getOrInit(() => new Promise<number>((resolve) => setTimeout(resolve, 5, 1)));
   * assert.strictEqual(lock.take(), undefined);
   * assert.strictEqual(await pending, 1); // the caller still gets the value...
   * assert.strictEqual(lock.state, 'empty'); // ...but the detached attempt does not fill the lock
   * ```
   */
  take(): T | undefined;

  /**
   * Empties the lock now like `take()`, clears a cached failure, then disposes the dropped value
   * (`Symbol.asyncDispose`, else `Symbol.dispose`). Resolves, after the disposal, with whether there was a value.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * let closed = false;
   * const lock = new OnceLock<AsyncDisposable>();
   * await lock.getOrInit(async () => ({ [Symbol.asyncDispose]: async () => { closed = true; } }));
   * assert.strictEqual(await lock.reset(), true);
   * assert.strictEqual(closed, true);
   * assert.strictEqual(await lock.reset(), false);
   * ```
   */
  reset(): Promise<boolean>;
}

/**
 * An async-safe cell written at most once, by `set` or by the first `getOrInit` whose initializer settles with a
 * value (Rust's `OnceLock`, tokio's `OnceCell`).
 *
 * Contract: single-flight. At most one initializer runs at a time; callers that arrive meanwhile wait for it and their
 * own initializer is never called. A synchronous throw counts as a rejection. When the attempt fails, every caller
 * waiting on it rejects with the same error, the lock is empty again and the next call retries (or, under
 * `failure: 'cache'`, the error is kept and replayed until `reset()`). `options.signal` ends one caller's wait; the
 * initializer's own signal aborts when every caller of the attempt has aborted, or when `take()`/`reset()` detaches
 * the attempt. A value that arrives after every caller left is still stored; one from a detached attempt is not.
 * An initializer that waits on its own lock, even across `await`s and other locks, gets a `ReentrantInitError`
 * rejection (across `await`s only where `AsyncLocalStorage` or `AsyncContext` exists). The ready path returns the
 * one resolved promise the lock keeps while it holds its value.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceLock } from '@lazy-init/runtime';
 *
 * const config = new OnceLock<{ port: number }>({ name: 'config' });
 * let loads = 0;
 * const load = async () => {
 *   loads++;
 *   await new Promise((resolve) => setTimeout(resolve, 5));
 *   return { port: 8080 };
 * };
 * const [a, b] = await Promise.all([config.getOrInit(load), config.getOrInit(load)]);
 * assert.strictEqual(a, b);
 * assert.strictEqual(loads, 1);
 * assert.strictEqual(config.get()?.port, 8080);
 * ```
 */
export class OnceLock<T> extends Lock<T> {
  /**
   * Creates an empty lock. Throws `TypeError` for bad options.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<number>({ name: 'answer', failure: 'retry' });
   * assert.strictEqual(String(lock), 'OnceLock(answer) <empty>');
   * ```
   */
  constructor(options?: LockOptions) {
    super(options);
  }

  protected _kind(): string {
    return 'OnceLock';
  }
}
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging */

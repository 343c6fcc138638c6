import { disposeSync } from './dispose.js';
import { initializerArg, type CellOptions } from './options.js';
import { SyncCell } from './sync-cell.js';

/**
 * A synchronous value computed on first use by the initializer given at construction (Rust's `LazyCell`).
 *
 * Contract: the initializer runs on the first `value` or `force()`, and again on a later access if it threw (the
 * error propagates and the cell stays empty: Rust poisons, but a JS closure can simply be re-run). Once the cell is
 * ready it drops the initializer, so nothing the initializer captured stays alive through the cell. An initializer
 * that reaches its own cell gets a `ReentrantInitError`. The ready path of `value` is one comparison and two field
 * reads. `[Symbol.dispose]()` disposes the value, so `using` releases what it holds.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyCell } from '@lazy-init/runtime';
 *
 * let runs = 0;
 * const settings = new LazyCell(function settings() {
 *   runs++;
 *   return { retries: 3 };
 * });
 * assert.strictEqual(settings.get(), undefined);
 * assert.strictEqual(settings.value.retries, 3);
 * assert.strictEqual(settings.force(), settings.value);
 * assert.strictEqual(runs, 1);
 * assert.strictEqual(String(settings), 'LazyCell(settings) <ready>');
 * ```
 */
export class LazyCell<T> extends SyncCell<T> {

  /**
   * Creates an empty cell that runs `initializer` on first use. Throws `TypeError` if it is not a function.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * const answer = new LazyCell(() => 92);
   * assert.strictEqual(answer.state, 'empty');
   * assert.strictEqual(answer.value, 92);
   * ```
   */
  constructor(initializer: () => T, options?: CellOptions) {
    // The state machine keeps the initializer while the cell is empty, and drops it once ready.
    super('LazyCell', options, initializerArg(initializer));
  }

  /**
   * The value, running the initializer if the cell is not ready yet.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * const empty = new LazyCell(() => '');
   * assert.strictEqual(empty.value, '');
   * assert.strictEqual(empty.isInitialized(), true);
   * ```
   */
  get value(): T {
    return this.getOrInit();
  }

  /**
   * Same as `value`, as a method.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * let attempts = 0;
   * const flaky = new LazyCell(() => {
   *   if (++attempts === 1) throw new Error('first try fails');
   *   return attempts;
   * });
   * assert.throws(() => flaky.force(), /first try fails/);
   * assert.strictEqual(flaky.force(), 2);
   * ```
   */
  force(): T {
    return this.value;
  }

  /**
   * Disposes the value if it was computed and implements `Symbol.dispose`; does nothing otherwise. The cell keeps
   * the disposed value: its initializer is gone, so there is nothing to recompute, and a disposed cell is not meant
   * to be read again (`using` ends its scope).
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * let closed = 0;
   * const handle = new LazyCell(() => ({ [Symbol.dispose]: () => { closed++; } }));
   * void handle.value;
   * handle[Symbol.dispose](); // what `using handle = ...` does at the end of its scope
   * assert.strictEqual(closed, 1);
   * ```
   */
  [Symbol.dispose](): void {
    disposeSync(this.get());
  }
}

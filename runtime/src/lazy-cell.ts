import { Cell, STATES, type State } from './cell.js';
import { disposeSync } from './dispose.js';
import { initializerArg, nameOf, type CellOptions, type InitState } from './options.js';
import { current, enter, reentered, type Frame } from './reentrancy.js';

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
export class LazyCell<T> extends Cell {
  /**
   * The state machine, moved to `initializing` before the initializer runs; as `OnceCell`'s, but the cell keeps its
   * initializer while empty and drops it once ready. Invariants, by `#state` (see `State`): `0` empty, `#value` is
   * the initializer; `1` initializing, it is the `Frame` of the run (which holds the initializer); `2` ready, it is
   * the value.
   */
  #state: State = 0 /* empty */;
  #value: unknown;
  readonly #name: string;

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
    super();
    this.#value = initializerArg(initializer);
    // Read now: once ready, the initializer is gone.
    this.#name = nameOf(options, initializer);
  }

  protected _name(): string {
    return this.#name;
  }

  protected _kind(): string {
    return 'LazyCell';
  }

  /**
   * `'empty'`, `'initializing'` (its initializer is running) or `'ready'`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * const lazy: LazyCell<string> = new LazyCell(() => lazy.state);
   * assert.strictEqual(lazy.state, 'empty');
   * assert.strictEqual(lazy.value, 'initializing');
   * assert.strictEqual(lazy.state, 'ready');
   * ```
   */
  get state(): InitState {
    return STATES[this.#state] as InitState;
  }

  /**
   * The value, or `undefined` when the cell is not ready. Never runs the initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell } from '@lazy-init/runtime';
   *
   * const cell = new LazyCell(() => 1);
   * assert.strictEqual(cell.get(), undefined);
   * void cell.value;
   * assert.strictEqual(cell.get(), 1);
   * ```
   */
  get(): T | undefined {
    return this.#state == 2 /* ready */ ? (this.#value as T) : undefined;
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
    return this.#state == 2 /* ready */ ? (this.#value as T) : this.#fill(this.#value as () => T);
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

  /**
   * The slow path, `OnceCell#fill` to the letter: moves the cell to `initializing`, runs `initializer` as a new
   * frame, then moves it to `ready` (which drops the initializer), or back to `empty` (with the initializer) when it
   * throws. A cell already initializing can only be reached from its own initializer: that fails before anything
   * nested runs.
   */
  #fill(initializer: () => T): T {
    if (this.#state == 1 /* initializing */) throw reentered(this.#value as Frame)!;
    const empty = this.#value;
    const frame: Frame = { outer: current(), name: this.#name, initializer: initializerArg(initializer), kind: this._kind() };
    this.#state = 1 /* initializing */;
    this.#value = frame;
    try {
      const value = enter(frame, initializer);
      this.#state = 2 /* ready */;
      this.#value = value;
      return value;
    } catch (error) {
      this.#state = 0 /* empty */;
      this.#value = empty;
      throw error;
    }
  }
}

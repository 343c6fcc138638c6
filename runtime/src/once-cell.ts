import { Cell, STATES, type State } from './cell.js';
import { disposeSync } from './dispose.js';
import { initializerArg, nameOf, type CellOptions, type InitState } from './options.js';
import { current, enter, reentered, type Frame } from './reentrancy.js';

/**
 * What `tryInsert` reports: the value was stored, or the cell was already full and `rejected` was not stored
 * (Rust's `AlreadyInit(existing)`). Narrow on `inserted`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceCell, type TryInsertResult } from '@lazy-init/runtime';
 *
 * const cell = new OnceCell<string>();
 * cell.set('first');
 * const result: TryInsertResult<string> = cell.tryInsert('second');
 * if (result.inserted) assert.fail('the cell was full');
 * else assert.deepStrictEqual([result.value, result.rejected], ['first', 'second']);
 * ```
 */
export type TryInsertResult<T> =
  | { readonly inserted: true; readonly value: T }
  | { readonly inserted: false; readonly value: T; readonly rejected: T };

/**
 * A synchronous cell written at most once, by `set` or by the first `getOrInit` whose initializer returns.
 *
 * Contract: the initializer runs only while the cell is empty, and a thrown error leaves the cell empty, propagates,
 * and lets the next call retry. Any value is a value, `undefined`, `0`, `''`, `false` and `null` included: `state`,
 * not the value, says whether the cell is full. An initializer that reaches this cell again gets a
 * `ReentrantInitError` before any nested initializer runs. `reset()` disposes the value it drops (`Symbol.dispose`);
 * `take()` hands it out undisposed. The ready path of `get()` and `getOrInit()` is one comparison and two field reads.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceCell } from '@lazy-init/runtime';
 *
 * const port = new OnceCell<number>({ name: 'port' });
 * let runs = 0;
 * assert.strictEqual(port.getOrInit(() => (runs++, 0)), 0);
 * assert.strictEqual(port.getOrInit(() => (runs++, 8080)), 0); // 0 is a value: no second run
 * assert.strictEqual(runs, 1);
 * assert.strictEqual(port.set(1), false);
 * assert.deepStrictEqual(port.tryInsert(2), { inserted: false, value: 0, rejected: 2 });
 * assert.strictEqual(String(port), 'OnceCell(port) <ready>');
 * assert.strictEqual(port.take(), 0);
 * assert.strictEqual(port.state, 'empty');
 * ```
 */
export class OnceCell<T> extends Cell {
  /**
   * The state machine, moved to `initializing` before an initializer runs. Two fields rather than one object, so that
   * filling the cell allocates nothing but the run's frame and a ready cell holds its value directly.
   * Invariants, by `#state` (see `State`): `0` empty, `#value` is `undefined`; `1` initializing, it is the `Frame` of
   * the run whose outcome the cell will keep; `2` ready, it is the value.
   */
  #state: State = 0 /* empty */;
  #value: unknown;
  readonly #name: string;

  /**
   * Creates an empty cell.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<string>({ name: 'greeting' });
   * assert.strictEqual(cell.state, 'empty');
   * assert.strictEqual(cell.get(), undefined);
   * ```
   */
  constructor(options?: CellOptions) {
    super();
    this.#name = nameOf(options);
  }

  protected _name(): string {
    return this.#name;
  }

  protected _kind(): string {
    return 'OnceCell';
  }

  /**
   * `'empty'`, `'initializing'` (its initializer is running) or `'ready'`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<string>();
   * const seen = cell.getOrInit(() => cell.state);
   * assert.strictEqual(seen, 'initializing');
   * assert.strictEqual(cell.state, 'ready');
   * ```
   */
  get state(): InitState {
    return STATES[this.#state] as InitState;
  }

  /**
   * The value, or `undefined` when the cell is not ready. Never runs an initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const once = new OnceCell<number>();
   * assert.strictEqual(once.get(), undefined);
   * once.set(7);
   * assert.strictEqual(once.get(), 7);
   * ```
   */
  get(): T | undefined {
    return this.#state == 2 /* ready */ ? (this.#value as T) : undefined;
  }

  /**
   * The value; when the cell is empty, runs `initializer`, stores what it returns and returns it. If it throws,
   * the cell stays empty and the error propagates. Throws `ReentrantInitError` when called from the cell's own
   * initializer, and `TypeError` when `initializer` is needed and is not a function.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<number>();
   * assert.throws(() => cell.getOrInit(() => { throw new Error('offline'); }), /offline/);
   * assert.strictEqual(cell.state, 'empty');
   * assert.strictEqual(cell.getOrInit(() => 42), 42);
   * ```
   */
  getOrInit(initializer: () => T): T {
    return this.#state == 2 /* ready */ ? (this.#value as T) : this.#fill(initializer);
  }

  /**
   * Stores `value` if the cell is empty and says whether it did. Returns `false` when full or while initializing.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<string>();
   * assert.strictEqual(cell.set('a'), true);
   * assert.strictEqual(cell.set('b'), false);
   * assert.strictEqual(cell.get(), 'a');
   * ```
   */
  set(value: T): boolean {
    if (this.#state != 0 /* empty */) return false;
    this.#state = 2 /* ready */;
    this.#value = value;
    return true;
  }

  /**
   * Stores `value` if the cell is empty; otherwise reports the current value beside the rejected one.
   * Throws `ReentrantInitError` when called from the cell's own initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<number>();
   * assert.deepStrictEqual(cell.tryInsert(1), { inserted: true, value: 1 });
   * const again = cell.tryInsert(2);
   * assert.ok(!again.inserted);
   * assert.strictEqual(again.value, 1);
   * assert.strictEqual(again.rejected, 2);
   * ```
   */
  tryInsert(value: T): TryInsertResult<T> {
    if (this.set(value)) return { inserted: true, value };
    // Only the cell's own initializer can call in while it runs.
    if (this.#state == 1 /* initializing */) throw reentered(this.#value as Frame)!;
    return { inserted: false, value: this.#value as T, rejected: value };
  }

  /**
   * Empties the cell and returns the value it held, without disposing it; `undefined` when it was not ready.
   * While the initializer runs, does nothing.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<number[]>();
   * const list = cell.getOrInit(() => [1]);
   * assert.strictEqual(cell.take(), list);
   * assert.strictEqual(cell.take(), undefined);
   * ```
   */
  take(): T | undefined {
    const value = this.get();
    if (this.#state == 2 /* ready */) {
      this.#state = 0 /* empty */;
      this.#value = undefined;
    }
    return value;
  }

  /**
   * Empties the cell, disposes the dropped value when it implements `Symbol.dispose`, and says whether the cell
   * was full. While the initializer runs, does nothing and returns `false`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * let closed = false;
   * const cell = new OnceCell<Disposable>();
   * cell.set({ [Symbol.dispose]: () => { closed = true; } });
   * assert.strictEqual(cell.reset(), true);
   * assert.strictEqual(closed, true);
   * assert.strictEqual(cell.reset(), false);
   * ```
   */
  reset(): boolean {
    const had = this.#state == 2 /* ready */;
    disposeSync(this.take());
    return had;
  }

  /**
   * `reset()`, so that `using cell = new OnceCell()` disposes the value at the end of the scope.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * let closed = 0;
   * const cell = new OnceCell<Disposable>();
   * cell.getOrInit(() => ({ [Symbol.dispose]: () => { closed++; } }));
   * cell[Symbol.dispose]();
   * assert.strictEqual(closed, 1);
   * assert.strictEqual(cell.state, 'empty');
   * ```
   */
  [Symbol.dispose](): void {
    this.reset();
  }

  /**
   * The slow path: moves the cell to `initializing`, runs `initializer` as a new frame, then moves it to `ready`, or
   * back to `empty` (with what `#value` held there) when `initializer` throws. A cell already initializing can only
   * be reached from its own initializer (it is `initializing` only while that runs, synchronously): that fails before
   * anything nested runs. `LazyCell#fill` is the same text, so the bundle compresses it to a few bytes.
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

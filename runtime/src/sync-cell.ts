import { Cell } from './cell.js';
import { initializerArg, nameOf, type CellOptions, type InitState } from './options.js';
import type { TryInsertResult } from './once-cell.js';
import { current, enter, reentered, type Frame } from './reentrancy.js';

/**
 * The state machine `OnceCell` and `LazyCell` share, with the synchronous slow path. Not exported from the package.
 * The state is two private fields rather than one object, so that filling a cell allocates nothing but the run's
 * frame and a ready cell holds its value directly.
 * Invariants, by `#state`:
 * - `empty`: `#value` is `LazyCell`'s initializer, else `undefined`;
 * - `initializing`: `#value` is the `Frame` of the run whose outcome the cell will keep;
 * - `ready`: `#value` is the value.
 * The `protected` methods carry `OnceCell`'s public names: `OnceCell` makes them public (see its interface),
 * `LazyCell` builds on `getOrInit`.
 */
export abstract class SyncCell<T> extends Cell {
  readonly #kind: string;
  readonly #name: string;
  #state: InitState = 'empty';
  #value: unknown;

  /** @internal */
  constructor(kind: string, options: CellOptions | undefined, initializer?: () => T) {
    super();
    this.#kind = kind;
    this.#name = nameOf(options, initializer);
    this.#value = initializer;
  }

  protected _name(): string {
    return this.#name;
  }

  protected _kind(): string {
    return this.#kind;
  }

  /**
   * `'empty'`, `'initializing'` (its initializer is running) or `'ready'`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell, OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<string>();
   * const seen = cell.getOrInit(() => cell.state);
   * assert.strictEqual(seen, 'initializing');
   * assert.strictEqual(cell.state, 'ready');
   *
   * const lazy: LazyCell<string> = new LazyCell(() => lazy.state);
   * assert.strictEqual(lazy.value, 'initializing');
   * ```
   */
  get state(): InitState {
    return this.#state;
  }

  /**
   * The value, or `undefined` when the cell is not ready. Never runs the initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell, OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new LazyCell(() => 1);
   * assert.strictEqual(cell.get(), undefined);
   * void cell.value;
   * assert.strictEqual(cell.get(), 1);
   *
   * const once = new OnceCell<number>();
   * once.set(7);
   * assert.strictEqual(once.get(), 7);
   * ```
   */
  get(): T | undefined {
    return this.#state == 'ready' ? (this.#value as T) : undefined;
  }

  /** The value; when empty, runs `initializer`, else the one given at construction. See `OnceCell#getOrInit`. */
  protected getOrInit(initializer?: () => T): T {
    return this.#state == 'ready' ? (this.#value as T) : this.#fill(initializer ?? (this.#value as () => T));
  }

  /** See `OnceCell#set`. */
  protected set(value: T): boolean {
    if (this.#state != 'empty') return false;
    this.#state = 'ready';
    this.#value = value;
    return true;
  }

  /** See `OnceCell#tryInsert`. */
  protected tryInsert(value: T): TryInsertResult<T> {
    if (this.set(value)) return { inserted: true, value };
    // Only the cell's own initializer can call in while it runs.
    if (this.#state == 'initializing') throw reentered(this.#value as Frame)!;
    return { inserted: false, value: this.#value as T, rejected: value };
  }

  /** See `OnceCell#take`. */
  protected take(): T | undefined {
    const value = this.get();
    if (this.#state == 'ready') {
      this.#state = 'empty';
      this.#value = undefined;
    }
    return value;
  }

  /**
   * The slow path of the synchronous cells: moves the cell to `initializing`, runs `initializer` as a new frame, then
   * moves it to `ready`, or back to `empty` (with what `#value` held there) when `initializer` throws. A cell already
   * initializing can only be reached from its own initializer: that fails before anything nested runs.
   */
  #fill(initializer: () => T): T {
    if (this.#state == 'initializing') throw reentered(this.#value as Frame)!;
    initializerArg(initializer);
    const empty = this.#value;
    const frame: Frame = { outer: current(), name: this.#name, initializer, kind: this.#kind };
    this.#state = 'initializing';
    this.#value = frame;
    try {
      const value = enter(frame, initializer);
      this.#state = 'ready';
      this.#value = value;
      return value;
    } catch (error) {
      this.#state = 'empty';
      this.#value = empty;
      throw error;
    }
  }
}

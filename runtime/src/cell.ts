import { fnArg, opt, type CellOptions, type LockState } from './options.js';
import { current, enter, reentered, type Frame } from './reentrancy.js';

/** The key `util.inspect` looks up; `Symbol.for` needs no import of `node:util`. */
const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * What every type shares: the state machine, its name, `get()`, `isInitialized()`, `toString()` and `util.inspect`
 * output, and the synchronous slow path of `OnceCell` and `LazyCell`. The state is two private fields rather than one
 * object, so that filling a cell allocates nothing but the run's frame and a ready cell holds its value directly.
 * Invariants, by `#state`:
 * - `empty`: `#value` is `LazyCell`'s initializer, else `undefined`;
 * - `initializing`: `#value` is the `Frame` of a synchronous run, or a lock's attempt (which holds its frame), whose
 *   outcome the cell will keep;
 * - `ready`: `#value` is the value;
 * - `failed` (locks created with `failure: 'cache'` only): `#value` is the cached error.
 * Subclasses move it with `_move`; only the synchronous slow path writes the fields directly.
 */
export abstract class Cell<T = unknown, S extends LockState = LockState> {
  readonly #kind: string;
  readonly #name: string;
  #state: LockState = 'empty';
  #value: unknown;

  /** @internal */
  constructor(kind: string, options: CellOptions | undefined, init?: { readonly name: string }) {
    this.#kind = kind;
    this.#name = opt(options, 'name') ?? init?.name ?? '';
  }

  /**
   * `'empty'`, `'initializing'` (an initializer is running) or `'ready'`; for `OnceLock` and `LazyLock`, also
   * `'failed'` (a failure cached under `failure: 'cache'`).
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell, OnceLock } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<string>();
   * const seen = cell.getOrInit(() => cell.state);
   * assert.strictEqual(seen, 'initializing');
   * assert.strictEqual(cell.state, 'ready');
   *
   * const lock = new OnceLock<number>({ failure: 'cache' });
   * await assert.rejects(lock.getOrInit(() => Promise.reject(new Error('down'))), /down/);
   * assert.strictEqual(lock.state, 'failed');
   * ```
   */
  get state(): S {
    return this.#state as S;
  }

  /**
   * The value, or `undefined` when the cell is not ready. Never runs an initializer, and is synchronous for every
   * type: an async one never returns a promise here.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell, LazyLock } from '@lazy-init/runtime';
   *
   * const cell = new LazyCell(() => 1);
   * assert.strictEqual(cell.get(), undefined);
   * void cell.value;
   * assert.strictEqual(cell.get(), 1);
   *
   * const lock = new LazyLock(async () => 'v1');
   * assert.strictEqual(lock.get(), undefined);
   * await lock.force();
   * assert.strictEqual(lock.get(), 'v1');
   * ```
   */
  get(): T | undefined {
    return this.#state == 'ready' ? (this.#value as T) : undefined;
  }

  /** The ready path of the synchronous cells: the value, else `_fill(initializer)`. */
  protected _getOrFill(initializer: () => T): T {
    return this.#state == 'ready' ? (this.#value as T) : this._fill(initializer);
  }

  /** What `#value` holds, whatever the state. */
  protected _held(): unknown {
    return this.#value;
  }

  /** Moves the state machine; the caller keeps the invariants. */
  protected _move(state: LockState, value: unknown): void {
    this.#state = state;
    this.#value = value;
  }

  /** The name given to the cell (or its initializer's, for the types that take one at construction); else `''`. */
  protected _name(): string {
    return this.#name;
  }

  /** The cell's type: `OnceCell`, `LazyLock`, ... */
  protected _kind(): string {
    return this.#kind;
  }

  /**
   * The slow path of the synchronous cells: moves the cell to `initializing`, runs `initializer` as a new frame, then
   * moves it to `ready`, or back to `empty` (with what `#value` held there) when `initializer` throws. A cell already
   * initializing can only be reached from its own initializer: that fails before anything nested runs.
   */
  protected _fill(initializer: () => T): T {
    if (this.#state == 'initializing') throw reentered(this.#value as Frame)!;
    fnArg(initializer);
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

  /**
   * Whether the value is there.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceCell } from '@lazy-init/runtime';
   *
   * const cell = new OnceCell<undefined>();
   * assert.strictEqual(cell.isInitialized(), false);
   * cell.set(undefined); // `undefined` is a value too
   * assert.strictEqual(cell.isInitialized(), true);
   * ```
   */
  isInitialized(): boolean {
    return this.#state == 'ready';
  }

  /**
   * `Kind(name) <state>`, or `Kind <state>` when unnamed. The value is never rendered: it may be large or secret.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyCell, OnceLock } from '@lazy-init/runtime';
   *
   * assert.strictEqual(String(new OnceLock({ name: 'db' })), 'OnceLock(db) <empty>');
   * assert.strictEqual(`${new LazyCell(function config() { return 1; })}`, 'LazyCell(config) <empty>');
   * ```
   */
  toString(): string {
    return `${this.#kind}${this.#name && `(${this.#name})`} <${this.#state}>`;
  }

  /** `util.inspect` shows `toString()`. */
  [INSPECT](): string {
    return `${this}`;
  }
}

import type { LockState } from './options.js';

/** The key `util.inspect` looks up; `Symbol.for` needs no import of `node:util`. */
const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * What every type shares that does not touch its fields: `isInitialized()`, `toString()` and `util.inspect` output.
 * The fields live in `SyncCell` (`OnceCell`, `LazyCell`) and `Lock` (the async types). A base class with fields would
 * make every cell pay for one more constructor with its own field initializers, and a state machine shared by all
 * five types would make the property reads of the ready path megamorphic.
 */
export abstract class Cell {
  /** See `SyncCell` and `Lock`. */
  abstract get state(): LockState;

  /** The cell's name: the `name` option, else the initializer's name for the types that take one; else `''`. */
  protected abstract _name(): string;

  /** The cell's type: `OnceCell`, `LazyLock`, ... */
  protected abstract _kind(): string;

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
    return this.state == 'ready';
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
    const name = this._name();
    return `${this._kind()}${name && `(${name})`} <${this.state}>`;
  }

  /** `util.inspect` shows `toString()`. */
  [INSPECT](): string {
    return `${this}`;
  }
}

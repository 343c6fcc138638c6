import type { LockState } from './options.js';

/** The key `util.inspect` looks up; `Symbol.for` needs no import of `node:util`. */
const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * The discriminant of every state machine: `0` empty, `1` initializing, `2` ready, `3` failed (only for locks under
 * `failure: 'cache'`); `STATES` gives each its public name. Each use writes the number, with its name in a comment:
 * the ready path then compares one small-integer field with a literal. A named constant imported from here would
 * cost that path one more load, since V8 does not fold imported bindings into the code.
 */
export type State = 0 | 1 | 2 | 3;
export const STATES = ['empty', 'initializing', 'ready', 'failed'] as const;

/**
 * What every type shares that does not touch its fields: `isInitialized()`, `toString()` and `util.inspect` output.
 * The fields live in the class that is constructed: `OnceCell` and `LazyCell` each declare their own, and `Lock`
 * those of the async types. V8 does not inline a base constructor that defines fields into the constructor of a
 * class extending it, so fields in a base class cost every construction a call; a state machine shared by all five
 * types would also make the property reads of the ready path megamorphic.
 */
export abstract class Cell {
  /** See `OnceCell`, `LazyCell` and `Lock`. */
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

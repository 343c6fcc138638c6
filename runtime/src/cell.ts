import { opt, type CellOptions, type LockState } from './options.js';

/** The key `util.inspect` looks up; `Symbol.for` needs no import of `node:util`. */
const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * What every type shares that does not touch its state machine: its name, `isInitialized()`, `toString()` and
 * `util.inspect` output. Each subclass keeps its own private `#state` and reports it through `state`.
 */
export abstract class Cell {
  readonly #kind: string;
  readonly #name: string;

  /** @internal */
  constructor(kind: string, options: CellOptions | undefined, init?: { readonly name: string }) {
    this.#kind = kind;
    this.#name = opt(options, 'name') ?? init?.name ?? '';
  }

  /** See the subclasses. */
  abstract get state(): LockState;

  /** The label of a run in `ReentrantInitError.cycle`: the cell's name, else the initializer's, else the type's. */
  protected _label(init: { readonly name: string }): { readonly n: string } {
    return { n: this.#name || init.name || this.#kind };
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
    return `${this.#kind}${this.#name && `(${this.#name})`} <${this.state}>`;
  }

  /** `util.inspect` shows `toString()`. */
  [INSPECT](): string {
    return `${this}`;
  }
}

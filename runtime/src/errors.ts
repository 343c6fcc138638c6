/**
 * Thrown (by `OnceCell` and `LazyCell`) or used as the rejection reason (by `OnceLock`, `LazyLock` and `LazyInit`)
 * when an initializer reaches the cell it is initializing, directly or through other cells.
 *
 * The nested call fails before it runs anything, so a cycle never hangs and never sees a half-built value.
 * `cycle` names the cells from the one reentered back to itself, e.g. `['a', 'b', 'a']`; a cell is named by its
 * `name` option, else by its initializer's function name, else by its type.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceCell, ReentrantInitError } from '@lazy-init/runtime';
 *
 * const a = new OnceCell<number>({ name: 'a' });
 * const b = new OnceCell<number>({ name: 'b' });
 * const readA = (): number => a.getOrInit(() => b.getOrInit(() => readA() + 1));
 * assert.throws(readA, (error: unknown) => {
 *   assert.ok(error instanceof ReentrantInitError);
 *   assert.strictEqual(error.name, 'ReentrantInitError');
 *   assert.deepStrictEqual(error.cycle, ['a', 'b', 'a']);
 *   return true;
 * });
 * assert.strictEqual(a.state, 'empty');
 * ```
 */
export class ReentrantInitError extends Error {
  /** Always `'ReentrantInitError'`. */
  override name = 'ReentrantInitError';
  /** The cells on the cycle, from the reentered cell back to itself. */
  declare readonly cycle: readonly string[];

  /** @param cycle The cells on the cycle, first and last being the reentered cell. */
  constructor(cycle: readonly string[]) {
    super(`Reentrant initialization: \`${cycle.join(' -> ')}\`.`);
    this.cycle = cycle;
  }
}

/**
 * A method was called in a state where it has nothing sound to do: `tryInsert()` on a lock that is initializing
 * or holds a cached failure. Not exported: callers test `name`.
 */
class InitStateError extends Error {
  override name = 'InitStateError';
}

/** The error for `tryInsert()` on a lock that has no value to compare with (initializing, or a cached failure). */
export const noValue = (cell: object): Error => new InitStateError(`\`${cell}\` has no value to compare.`);

import { Lock, type AsyncInitializer } from './lock.js';
import { initializerArg, option, type CellOptions, type InitState, type SignalOptions } from './options.js';
import { pend, settleAll, type Settle } from './waiters.js';

/**
 * What `LazyInit.init` reports. Failures are values: `failed` carries what the initializer threw or rejected with.
 * The kernel's `AlreadyInit(existing)` is `already-initialized` and `DuringInit(error)` is `failed`. Narrow on
 * `status`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyInit, type InitResult } from '@lazy-init/runtime';
 *
 * const describe = (result: InitResult<number, Error>): string =>
 *   result.status === 'failed' ? `failed: ${result.error.message}` : `${result.status}: ${result.value}`;
 * const lazy = new LazyInit<number, Error>();
 * assert.strictEqual(describe(await lazy.init(() => { throw new Error('nope'); })), 'failed: nope');
 * assert.strictEqual(describe(await lazy.init(() => 1)), 'initialized: 1');
 * assert.strictEqual(describe(await lazy.init(() => 2)), 'already-initialized: 1');
 * ```
 */
export type InitResult<T, E = unknown> =
  | { readonly status: 'initialized'; readonly value: T }
  | { readonly status: 'already-initialized'; readonly value: T }
  | { readonly status: 'failed'; readonly error: E };

/**
 * A resettable async value whose initialization calls are serialized in arrival order (the kernel's `LazyInit`).
 *
 * Contract: each `init` call waits for its turn. If the value is there by then, its initializer is not run and it
 * gets `already-initialized` with the existing value; otherwise it runs its own initializer and gets `initialized`
 * or `failed`, and the next queued call gets its turn only after that. A call made while nobody is queued has its
 * turn at once: if the value is there, its promise is already resolved. Failures are values: `init` rejects only when
 * its `options.signal` aborts (with `signal.reason`) or on reentrancy (`ReentrantInitError`, e.g. an initializer
 * calling its own `init`). A caller that aborts leaves the queue; if its initializer was already running, the next
 * call still waits for it, and a value it produces is stored. `reset()` takes a turn too, so it never races an
 * initializer. The initializer's signal aborts when its caller aborts.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { LazyInit } from '@lazy-init/runtime';
 *
 * const session = new LazyInit<string, Error>({ name: 'session' });
 * const [first, second] = await Promise.all([
 *   session.init(async () => 'token-1'),
 *   session.init(async () => 'token-2'),
 * ]);
 * assert.deepStrictEqual(first, { status: 'initialized', value: 'token-1' });
 * assert.deepStrictEqual(second, { status: 'already-initialized', value: 'token-1' });
 *
 * assert.strictEqual(await session.reset(), true);
 * const failed = await session.init(() => { throw new Error('denied'); });
 * assert.ok(failed.status === 'failed' && failed.error.message === 'denied');
 * assert.strictEqual(session.state, 'empty');
 * ```
 */
export class LazyInit<T, E = unknown> extends Lock<T, InitState> {
  /** Settles when the last queued call has finished its turn; never rejects. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Calls queued and not through their turn. Invariant: 0 only when every earlier call has its answer. */
  #queued = 0;

  /**
   * Creates an empty `LazyInit`. Throws `TypeError` for bad options.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const cache = new LazyInit<Map<string, number>>({ name: 'cache' });
   * assert.strictEqual(String(cache), 'LazyInit(cache) <empty>');
   * ```
   */
  constructor(options?: CellOptions) {
    super(options);
  }

  protected _kind(): string {
    return 'LazyInit';
  }

  /**
   * Queues a call; when its turn comes, reports the existing value or runs `initializer` and reports its outcome.
   * Throws `TypeError` if `initializer` is not a function or for bad options.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<number>();
   * let ran = false;
   * assert.deepStrictEqual(await lazy.init(() => 1), { status: 'initialized', value: 1 });
   * const again = await lazy.init(() => { ran = true; return 2; });
   * assert.strictEqual(again.status, 'already-initialized');
   * assert.strictEqual(ran, false);
   * ```
   */
  init(initializer: AsyncInitializer<T>, options?: SignalOptions): Promise<InitResult<T, E>> {
    initializerArg(initializer);
    // At a turn no attempt is running: the previous turn waited for its attempt to settle. With nobody queued, this
    // call's turn is now, and when the value is there its answer is known at once.
    return this.#turn(
      async (): Promise<InitResult<T, E>> =>
        this.isInitialized()
          ? { status: 'already-initialized', value: this.get() as T }
          : this.getOrInit(initializer).then(
              (value) => ({ status: 'initialized', value }),
              (error: E) => ({ status: 'failed', error }),
            ),
      !this.#queued && this.isInitialized(),
      options,
    );
  }

  /**
   * Runs `job` when every earlier call has finished, or at once when `now`; a caller that aborts first is skipped, one
   * that aborts during its turn stops its initializer.
   */
  #turn<R>(job: () => Promise<R>, now?: boolean, options?: SignalOptions): Promise<R> {
    const signal = option(options, 'signal');
    const refused = this._early(signal);
    if (refused || now) return refused ?? job();
    const waiter = new Set<Settle>();
    // Set once the turn starts: from then on, the running attempt (if any) is this call's.
    let started: unknown;
    const promise = pend<R>(waiter, signal, () => started && this._halt());
    this.#queued++;
    this.#queue = this.#queue
      .then(
        (): unknown =>
          (started = waiter.size) &&
          job().then(
            (value) => settleAll(waiter, true, value),
            (error: unknown) => settleAll(waiter, false, error),
          ),
      )
      .then(() => this.#queued--);
    return promise;
  }

  /**
   * Takes a turn like `init` (so it never races an initializer), drops the value, disposes it
   * (`Symbol.asyncDispose`, else `Symbol.dispose`), and resolves with whether there was one.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<number>();
   * const first = lazy.init(() => new Promise<number>((resolve) => setTimeout(resolve, 5, 1)));
   * const reset = lazy.reset(); // queued behind the running init
   * assert.strictEqual((await first).status, 'initialized');
   * assert.strictEqual(await reset, true);
   * assert.strictEqual(lazy.state, 'empty');
   * ```
   */
  override reset(): Promise<boolean> {
    return this.#turn(() => super.reset());
  }
}

import { INSPECT, show, type Inspect } from './inspect.js';
import { disposeAsync } from './dispose.js';
import type { AsyncInitializer } from './lock.js';
import { fnArg, nameOf, signalOf, type CellOptions, type InitState, type SignalOptions } from './options.js';
import { enter } from './reentrancy.js';
import { EMPTY, type SyncState } from './sync-state.js';
import { early, pend, settleAll, type Settle } from './waiters.js';

/**
 * What `LazyInit.init` reports. Failures are values: `failed` carries what the initializer threw or rejected with.
 * The kernel's `AlreadyInit(existing)` is `already-initialized` and `DuringInit(error)` is `failed`.
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
 * or `failed`, and the next queued call gets its turn only after that. Failures are values: `init` rejects only when
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
export class LazyInit<T, E = unknown> {
  /** Moved to `initializing` before an initializer runs. Invariant: only the call whose turn it is writes it. */
  #state: SyncState<T> = EMPTY;
  /** Settles when the last queued call has finished its turn; never rejects. */
  #queue: Promise<unknown> = Promise.resolve();
  /** `wait()` callers, settled when a value is stored. */
  readonly #waiters = new Set<Settle>();
  readonly #name: string;

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
    this.#name = nameOf(options);
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
    const n = fnArg(initializer).name;
    return this.#turn(options, async (signal): Promise<InitResult<T, E>> => {
      const s = this.#state;
      if (s.k == 'ready') return { status: 'already-initialized', value: s.v };
      const frame = { n: this.#name || n || 'LazyInit' };
      this.#state = { k: 'initializing', v: frame };
      try {
        const value = await enter(frame, () => initializer(signal), true);
        this.#state = { k: 'ready', v: value };
        settleAll(this.#waiters, 1, value);
        return { status: 'initialized', value };
      } catch (error) {
        this.#state = EMPTY;
        return { status: 'failed', error: error as E };
      }
    });
  }

  /** Runs `job` when every earlier call has finished; a caller that aborts first is skipped. */
  #turn<R>(options: SignalOptions | undefined, job: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const signal = signalOf(options);
    const stop = early(this.#state, signal);
    if (stop) return stop;
    const waiter = new Set<Settle>();
    const c = new AbortController();
    const p = pend<R>(waiter, signal, () => c.abort());
    this.#queue = this.#queue.then(async () => {
      if (waiter.size)
        try {
          settleAll(waiter, 1, await job(c.signal));
        } catch (error) {
          settleAll(waiter, 0, error);
        }
    });
    return p;
  }

  /**
   * The value, or `undefined` when not ready. Synchronous: never queues anything.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<string>();
   * const pending = lazy.init(async () => 'x');
   * assert.strictEqual(lazy.get(), undefined);
   * await pending;
   * assert.strictEqual(lazy.get(), 'x');
   * ```
   */
  get(): T | undefined {
    const s = this.#state;
    return s.k == 'ready' ? s.v : undefined;
  }

  /**
   * `'empty'`, `'initializing'` (an initializer is running) or `'ready'`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<number>();
   * const result = lazy.init(async () => 1);
   * await Promise.resolve();
   * await Promise.resolve();
   * assert.strictEqual(lazy.state, 'initializing');
   * await result;
   * assert.strictEqual(lazy.state, 'ready');
   * ```
   */
  get state(): InitState {
    return this.#state.k;
  }

  /**
   * Whether a value is stored.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<number>();
   * await lazy.init(() => 0);
   * assert.strictEqual(lazy.isInitialized(), true);
   * ```
   */
  isInitialized(): boolean {
    return this.#state.k == 'ready';
  }

  /**
   * Resolves with the value once one is stored, by whichever call; starts and queues nothing. Rejects with
   * `options.signal.reason` when that signal aborts, or with `ReentrantInitError` inside a running initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * const lazy = new LazyInit<string>();
   * const ready = lazy.wait();
   * await lazy.init(async () => { throw new Error('first try'); });
   * await lazy.init(async () => 'second try');
   * assert.strictEqual(await ready, 'second try');
   * ```
   */
  wait(options?: SignalOptions): Promise<T> {
    const signal = signalOf(options);
    const s = this.#state;
    return s.k == 'ready' ? Promise.resolve(s.v) : (early(this.#state, signal) ?? pend(this.#waiters, signal));
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
  reset(): Promise<boolean> {
    return this.#turn(undefined, async () => {
      const s = this.#state;
      this.#state = EMPTY;
      if (s.k == 'ready') await disposeAsync(s.v);
      return s.k == 'ready';
    });
  }

  /**
   * `reset()`, so that `await using lazy = new LazyInit()` disposes the value at the end of the scope.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * let closed = false;
   * const lazy = new LazyInit<AsyncDisposable>();
   * await lazy.init(async () => ({ [Symbol.asyncDispose]: async () => { closed = true; } }));
   * await lazy[Symbol.asyncDispose]();
   * assert.strictEqual(closed, true);
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.reset();
  }

  /**
   * `LazyInit(name) <state>`; the value is never rendered.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyInit } from '@lazy-init/runtime';
   *
   * assert.strictEqual(`${new LazyInit()}`, 'LazyInit <empty>');
   * ```
   */
  toString(): string {
    return show('LazyInit', this.#name, this.#state);
  }

  /** `util.inspect` output: `toString()` plus the value when ready, e.g. `LazyInit(cache) <ready: 1>`. */
  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return show('LazyInit', this.#name, this.#state, inspect, options);
  }
}

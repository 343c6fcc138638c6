import { noValue } from './errors.js';
import { Cell, STATES, type State } from './cell.js';
import { disposeAsync } from './dispose.js';
import { initializerArg, nameOf, option, type LockOptions, type LockState, type SignalOptions } from './options.js';
import { current, enter, reentered, type Frame } from './reentrancy.js';
import type { TryInsertResult } from './once-cell.js';
import { pend, settleAll, type Settle } from './waiters.js';

/**
 * An initializer of the async types. It may return the value or a promise of it, and gets a signal that aborts once
 * nobody waits for its result any more (every caller aborted, or the attempt was detached by `take`/`reset`).
 * The signal is made only for an initializer that declares a parameter (`initializer.length > 0`): one that declares
 * none, or only a rest or defaulted one, is called with `undefined`, which spares the cost of an `AbortSignal`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert';
 * import { OnceLock, type AsyncInitializer } from '@lazy-init/runtime';
 *
 * const load: AsyncInitializer<string> = (signal) =>
 *   new Promise((resolve, reject) => {
 *     const timer = setTimeout(resolve, 50, 'loaded');
 *     signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)));
 *   });
 * const lock = new OnceLock<string>();
 * const controller = new AbortController();
 * const pending = lock.getOrInit(load, { signal: controller.signal });
 * controller.abort(new Error('not needed'));
 * await assert.rejects(pending, /not needed/);
 * assert.strictEqual(await lock.getOrInit(async () => 'again'), 'again');
 * ```
 */
export type AsyncInitializer<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * One run of an initializer, as the frame it runs in and the callers waiting on it. All its fields exist from the
 * start, so every attempt has one shape.
 */
interface Attempt<T> extends Frame {
  /**
   * Callers with a signal, each waiting on a promise of its own, since each may leave on its own; made for the first
   * of them, as most attempts have none.
   */
  waiters: Set<Settle> | undefined;
  /** Whether a caller without a signal came: such callers cannot leave, and share `settled`. */
  shared: boolean;
  /** Settles with the run's outcome once the lock has recorded it; set as soon as the run has started. */
  settled: Promise<T> | undefined;
  /** Only when the initializer declares a parameter: making an `AbortSignal` costs more than the rest of a run. */
  readonly controller: AbortController | undefined;
}

const ignore = (): void => {};

/**
 * Whether every caller of `attempt` has left. Invariant: while the lock holds the attempt, its run has then been told
 * to stop.
 */
const abandoned = (attempt: Attempt<unknown>): boolean => !attempt.shared && !attempt.waiters?.size;

/** Tells a run to stop: aborts its initializer's signal, if it has one. */
const stop = (attempt: Attempt<unknown>): void => attempt.controller?.abort();

/**
 * The single-flight machinery `OnceLock`, `LazyLock` and `LazyInit` share. Not exported from the package.
 * The `protected` methods carry `OnceLock`'s public names: `OnceLock` makes them public (see its interface), the
 * other types build on them. `S` narrows `state` for types that never cache failures.
 */
export abstract class Lock<T, S extends LockState = LockState> extends Cell {
  /**
   * Moved to initializing before the initializer runs. Two fields rather than one object, so that a ready lock
   * holds its value directly. Invariants, by `#state` (see `State`): `0` empty, `#value` is `undefined`;
   * `1` initializing, it is the `Attempt` whose outcome the lock will keep; `2` ready, the value; `3` failed (only
   * under `failure: 'cache'`), the cached error.
   */
  #state: State = 0 /* empty */;
  #value: unknown;
  readonly #name: string;
  /**
   * The promise the ready path hands out, made on its first use. Invariant: `undefined` unless `#state` is ready,
   * so only `take` (the one way out of ready) clears it. It never rejects: it resolves with a value the lock holds.
   */
  #promise: Promise<T> | undefined;
  /** `wait()` callers: settled when the lock becomes ready, or fails under `failure: 'cache'`. */
  #waiters: Set<Settle> | undefined;
  /** `LazyLock`'s initializer until ready, then `null`; `undefined` for `OnceLock`. */
  #initializer: AsyncInitializer<T> | null | undefined;
  readonly #cachesFailure: boolean;

  /** @internal */
  constructor(options: LockOptions | undefined, initializer?: AsyncInitializer<T>) {
    super();
    this.#name = nameOf(options, initializer);
    this.#initializer = initializer;
    this.#cachesFailure = option(options, 'failure') == 'cache';
  }

  protected _name(): string {
    return this.#name;
  }


  /**
   * `'empty'`, `'initializing'` (an initializer is running), `'ready'`, or `'failed'` (a failure cached under
   * `failure: 'cache'`).
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<number>({ failure: 'cache' });
   * await assert.rejects(lock.getOrInit(() => Promise.reject(new Error('down'))), /down/);
   * assert.strictEqual(lock.state, 'failed');
   * ```
   */
  get state(): S {
    return STATES[this.#state] as S;
  }

  /**
   * The value, or `undefined` when not ready. Synchronous: never starts anything and never returns a promise.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { LazyLock } from '@lazy-init/runtime';
   *
   * const lock = new LazyLock(async () => 'v1');
   * assert.strictEqual(lock.get(), undefined);
   * await lock.force();
   * assert.strictEqual(lock.get(), 'v1');
   * ```
   */
  get(): T | undefined {
    return this.#state == 2 /* ready */ ? (this.#value as T) : undefined;
  }

  /** Moves the state machine; the caller keeps the invariants. */
  #move(state: State, value: unknown): void {
    this.#state = state;
    this.#value = value;
  }

  /**
   * Resolves with the value once the lock is ready, however it gets there; starts nothing. Rejects with
   * `options.signal.reason` when that signal aborts, with the cached failure under `failure: 'cache'`, and with
   * `ReentrantInitError` when awaited inside the lock's own initializer.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<string>();
   * const ready = lock.wait();
   * assert.strictEqual(lock.state, 'empty');
   * lock.set('hello');
   * assert.strictEqual(await ready, 'hello');
   * ```
   */
  wait(options?: SignalOptions): Promise<T> {
    const signal = option(options, 'signal');
    return this.#ready() ?? this._early(signal) ?? pend((this.#waiters ??= new Set()), signal);
  }

  /** The ready path: the kept promise of the value, made on first use; `undefined` when not ready. */
  #ready(): Promise<T> | undefined {
    // eslint-disable-next-line lazy-init/no-cached-rejection -- it resolves with the value the lock holds, and `take` drops it with that value.
    return (this.#promise ??= this.#state == 2 /* ready */ ? Promise.resolve(this.#value as T) : undefined);
  }

  /**
   * The rejection owed to a caller that must not wait: its signal already aborted, a cached failure, or a wait from
   * inside the running initializer. `undefined` when the caller may wait.
   */
  protected _early(signal: AbortSignal | undefined): Promise<never> | undefined {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#state == 3 /* failed */) return Promise.reject(this.#value);
    const error = this.#state == 1 /* initializing */ && reentered(this.#value as Attempt<T>);
    return error ? Promise.reject(error) : undefined;
  }

  /** Tells the running attempt, if any, to stop. */
  protected _halt(): void {
    if (this.#state == 1 /* initializing */) stop(this.#value as Attempt<T>);
  }

  /** The kept promise of the value; else joins the running attempt or starts one with `initializer` (else the constructor's). */
  protected getOrInit(initializer: AsyncInitializer<T> | undefined, options?: SignalOptions): Promise<T> {
    return this.#ready() ?? this.#start(initializer, options);
  }

  #start(given: AsyncInitializer<T> | undefined, options: SignalOptions | undefined): Promise<T> {
    // `#initializer` is null only once ready, and then this point is never reached.
    const initializer = initializerArg(given ?? this.#initializer!);
    const signal = option(options, 'signal');
    const refused = this._early(signal);
    if (refused) return refused;
    const joins = this.#state == 1 /* initializing */;
    const attempt: Attempt<T> = joins
      ? (this.#value as Attempt<T>)
      : {
          outer: current(),
          name: this.#name,
          initializer,
          kind: this._kind(),
          waiters: undefined,
          shared: false,
          settled: undefined,
          controller: initializer.length ? new AbortController() : undefined,
        };
    // When the last caller leaves, the attempt is told to stop. Only a caller with a signal can leave.
    const stopped = joins && abandoned(attempt);
    const own = signal && pend<T>((attempt.waiters ??= new Set()), signal, () => abandoned(attempt) && stop(attempt));
    if (!own) attempt.shared = true;
    if (joins) {
      const promise = own ?? attempt.settled!;
      // Everyone waiting on it left, so its initializer was told to stop: a failure then is not ours to inherit.
      return stopped ? promise.catch(() => this.getOrInit(given, options)) : promise;
    }
    this.#move(1 /* initializing */, attempt);
    // The initializer starts synchronously; a synchronous throw counts as a rejection.
    let outcome: T | PromiseLike<T>;
    try {
      outcome = enter(attempt, initializer, true, attempt.controller?.signal as AbortSignal);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const settled = Promise.resolve(outcome).then(
      (value) => {
        this.#end(attempt, true, value);
        return value;
      },
      (error: unknown) => {
        this.#end(attempt, false, error);
        throw error;
      },
    );
    // Handled even when every caller had a signal and left: each caller's promise carries the failure to it.
    settled.catch(ignore);
    attempt.settled = settled;
    return own ?? settled;
  }

  /** Records the outcome of `attempt` if it is still the lock's, then hands it to every waiter of `attempt`. */
  #end(attempt: Attempt<T>, ok: boolean, outcome: unknown): void {
    if (this.#value === attempt) {
      // A failure after every caller left is never cached: it may be the stop they asked for.
      if (ok) {
        this.#move(2 /* ready */, outcome);
        this.#initializer = null;
      } else if (this.#cachesFailure && !abandoned(attempt)) this.#move(3 /* failed */, outcome);
      else this.#move(0 /* empty */, undefined);
      if (this.#waiters && this.#state != 0 /* empty */) settleAll(this.#waiters, ok, outcome);
    }
    if (attempt.waiters) settleAll(attempt.waiters, ok, outcome);
  }

  /** Stores `v` when empty. */
  protected set(value: T): boolean {
    if (this.#state != 0 /* empty */) return false;
    this.#move(2 /* ready */, value);
    if (this.#waiters) settleAll(this.#waiters, true, value);
    return true;
  }

  /** Stores `value` when empty, else reports the current value beside it. */
  protected tryInsert(value: T): TryInsertResult<T> {
    if (this.set(value)) return { inserted: true, value };
    if (this.#state == 2 /* ready */) return { inserted: false, value: this.#value as T, rejected: value };
    throw (this.#state == 1 /* initializing */ && reentered(this.#value as Attempt<T>)) || noValue(this);
  }

  /** Empties the lock now; a running attempt is detached (its waiters still get its outcome, the lock does not). */
  protected take(): T | undefined {
    const value = this.get();
    this._halt();
    this.#move(0 /* empty */, undefined);
    this.#promise = undefined;
    return value;
  }

  /** Empties the lock now, then disposes the value it dropped. */
  protected async reset(): Promise<boolean> {
    const ready = this.#state == 2 /* ready */;
    const value = this.take();
    if (ready) await disposeAsync(value);
    return ready;
  }

  /**
   * `reset()`, so that `await using` disposes the value at the end of the scope.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * let closed = 0;
   * const lock = new OnceLock<Disposable>();
   * lock.set({ [Symbol.dispose]: () => { closed++; } });
   * await lock[Symbol.asyncDispose]();
   * assert.strictEqual(closed, 1);
   * assert.strictEqual(lock.state, 'empty');
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.reset();
  }
}

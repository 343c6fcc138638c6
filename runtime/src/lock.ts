import { noValue } from './errors.js';
import { Cell } from './cell.js';
import { disposeAsync } from './dispose.js';
import { fnArg, opt, type LockOptions, type LockState, type SignalOptions } from './options.js';
import { enter, reentered, type Frame } from './reentrancy.js';
import { EMPTY, type State } from './state.js';
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
 * One run of an initializer: its frame and the callers waiting on it. `x` is set once the run is told to stop (every
 * caller left, or `take` detached it). `c` exists only when the initializer declares a parameter: making an
 * `AbortSignal` costs more than the rest of a first initialization.
 */
interface Attempt extends Frame {
  readonly w: Set<Settle>;
  readonly c: AbortController | undefined;
  x?: 1;
}

/** Tells a run to stop: marks it, and aborts its initializer's signal if it has one. */
const stop = (a: Attempt): void => {
  a.x = 1;
  a.c?.abort();
};

/**
 * The single-flight machinery `OnceLock`, `LazyLock` and `LazyInit` share. Not exported from the package.
 * The `protected` methods carry `OnceLock`'s public names: `OnceLock` makes them public (see its interface), the
 * other types build on them. `S` narrows `state` for types that never cache failures.
 */
export class Lock<T, S extends LockState = LockState> extends Cell {
  /** Moved to `initializing` before the initializer runs. */
  #state: State<T, Attempt> = EMPTY;
  /**
   * The promise the ready path hands out, made on its first use. Invariant: `undefined` unless `#state` is ready,
   * so only `take` (the one way out of ready) clears it. It never rejects: it resolves with a value the lock holds.
   */
  #p: Promise<T> | undefined;
  /** `wait()` callers: settled when the lock becomes ready, or fails under `failure: 'cache'`. */
  readonly #waiters = new Set<Settle>();
  /** `LazyLock`'s initializer until ready, then `null`; `undefined` for `OnceLock`. */
  #init: AsyncInitializer<T> | null | undefined;
  readonly #cache: boolean;

  /** @internal */
  constructor(kind: string, options: LockOptions | undefined, init?: AsyncInitializer<T>) {
    super(kind, options, init);
    this.#init = init;
    this.#cache = opt(options, 'failure') == 'cache';
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
    return this.#state.k as S;
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
    const s = this.#state;
    return s.k == 'ready' ? s.v : undefined;
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
    const signal = opt(options, 'signal');
    return this.#ready() ?? this._early(signal) ?? pend(this.#waiters, signal);
  }

  /** The ready path: the kept promise of the value, made on first use; `undefined` when not ready. */
  #ready(): Promise<T> | undefined {
    const s = this.#state;
    // eslint-disable-next-line lazy-init/no-cached-rejection -- it resolves with the value the lock holds, and `take` drops it with that value.
    return (this.#p ??= s.k == 'ready' ? Promise.resolve(s.v) : undefined);
  }

  /**
   * The rejection owed to a caller that must not wait: its signal already aborted, a cached failure, or a wait from
   * inside the running initializer. `undefined` when the caller may wait.
   */
  protected _early(signal: AbortSignal | undefined): Promise<never> | undefined {
    const s = this.#state;
    const e = s.k == 'initializing' && reentered(s.v);
    // `e` is false when the lock failed, so the cached failure is `s.v`.
    return signal?.aborted || s.k == 'failed' || e ? Promise.reject(signal?.aborted ? signal.reason : e || s.v) : undefined;
  }

  /** Tells the running attempt, if any, to stop. */
  protected _halt(): void {
    const s = this.#state;
    if (s.k == 'initializing') stop(s.v);
  }

  /**
   * Joins the running attempt or starts one with `f` (else the constructor's initializer). `c` becomes the
   * attempt's controller: `LazyInit` passes one that aborts when its caller leaves.
   */
  protected getOrInit(f: AsyncInitializer<T> | undefined, options?: SignalOptions): Promise<T> {
    return this.#ready() ?? this.#start(f, options);
  }

  #start(f: AsyncInitializer<T> | undefined, options: SignalOptions | undefined): Promise<T> {
    const s = this.#state;
    // `#init` is null only once ready, and then this point is never reached.
    const init = fnArg(f ?? this.#init!);
    const signal = opt(options, 'signal');
    const no = this._early(signal);
    if (no) return no;
    const joins = s.k == 'initializing';
    const a: Attempt = joins ? s.v : { ...this._label(init), w: new Set(), c: init.length ? new AbortController() : undefined };
    // When the last waiter on `a` leaves, `a` is told to stop.
    const p = pend<T>(a.w, signal, () => a.w.size || stop(a));
    // Everyone waiting on `a` left, so its initializer was told to stop: a failure then is not ours to inherit.
    if (joins) return a.x ? p.catch(() => this.getOrInit(f, options)) : p;
    this.#state = { k: 'initializing', v: a };
    // An async wrapper turns a synchronous throw into a rejection; the initializer still starts synchronously.
    (async () => enter(a, () => init(a.c?.signal as AbortSignal), true))().then(
      (v) => this.#end(a, 1, v),
      (e: unknown) => this.#end(a, 0, e),
    );
    return p;
  }

  /** Records the outcome of `a` if it is still the lock's attempt, then hands it to every waiter of `a`. */
  #end(a: Attempt, ok: 0 | 1, v: unknown): void {
    if (this.#state.v === a) {
      if (ok) {
        this.#state = { k: 'ready', v: v as T };
        this.#init = null;
      } else this.#state = this.#cache && !a.x ? { k: 'failed', v } : EMPTY;
      if (this.#state.k != 'empty') settleAll(this.#waiters, ok, v);
    }
    settleAll(a.w, ok, v);
  }

  /** Stores `v` when empty. */
  protected set(v: T): boolean {
    if (this.#state.k != 'empty') return false;
    this.#state = { k: 'ready', v };
    settleAll(this.#waiters, 1, v);
    return true;
  }

  /** Stores `value` when empty, else reports the current value beside it. */
  protected tryInsert(value: T): TryInsertResult<T> {
    const s = this.#state;
    if (this.set(value)) return { inserted: true, value };
    if (s.k == 'ready') return { inserted: false, value: s.v, rejected: value };
    throw (s.k == 'initializing' && reentered(s.v)) || noValue(this);
  }

  /** Empties the lock now; a running attempt is detached (its waiters still get its outcome, the lock does not). */
  protected take(): T | undefined {
    const s = this.#state;
    this._halt();
    this.#state = EMPTY;
    this.#p = undefined;
    return s.k == 'ready' ? s.v : undefined;
  }

  /** Empties the lock now, then disposes the value it dropped. */
  protected async reset(): Promise<boolean> {
    const ready = this.#state.k == 'ready';
    const v = this.take();
    if (ready) await disposeAsync(v);
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

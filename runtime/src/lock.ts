import { InitStateError } from './errors.js';
import { INSPECT, show, type Inspect } from './inspect.js';
import { disposeAsync } from './dispose.js';
import { cachesFailure, fnArg, nameOf, signalOf, type LockOptions, type LockState, type SignalOptions } from './options.js';
import { enter, reentered, type Frame } from './reentrancy.js';
import type { TryInsertResult } from './once-cell.js';
import { early, pend, settleAll, type Settle } from './waiters.js';

/** An initializer of the async types: it gets a signal that aborts once nobody waits for its result any more. */
export type AsyncInitializer<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** One run of an initializer: its frame, the signal handed to it, and the callers waiting on it. */
interface Attempt extends Frame {
  readonly c: AbortController;
  readonly w: Set<Settle>;
}

/**
 * State of a lock. Every state has the same three fields so the ready check stays monomorphic.
 * Invariants: `initializing` holds the one attempt whose outcome the lock will keep (a detached attempt is no longer
 * referenced); `ready` holds the value and an already resolved promise of it, handed out on the ready path;
 * `failed` (only under `failure: 'cache'`) holds the first error.
 */
type State<T> =
  | { readonly k: 'empty'; readonly v: undefined; readonly p: undefined }
  | { readonly k: 'initializing'; readonly v: Attempt; readonly p: undefined }
  | { readonly k: 'ready'; readonly v: T; readonly p: Promise<T> }
  | { readonly k: 'failed'; readonly v: unknown; readonly p: undefined };

const EMPTY: State<never> = { k: 'empty', v: undefined, p: undefined };

/**
 * The single-flight machinery `OnceLock` and `LazyLock` share. Not exported from the package: its `protected`
 * members are the subclasses' building blocks.
 */
export class Lock<T> {
  /** Moved to `initializing` before the initializer runs. */
  #state: State<T> = EMPTY;
  /** `wait()` callers: settled when the lock becomes ready, or fails under `failure: 'cache'`. */
  readonly #waiters = new Set<Settle>();
  /** `LazyLock`'s initializer until ready; `null` once ready or retired; `undefined` for `OnceLock`. */
  #init: AsyncInitializer<T> | null | undefined;
  readonly #kind: string;
  readonly #name: string;
  readonly #cache: boolean;

  /** @internal */
  constructor(kind: string, init: AsyncInitializer<T> | undefined, options: LockOptions | undefined) {
    this.#kind = kind;
    this.#init = init;
    this.#name = nameOf(options, init);
    this.#cache = cachesFailure(options);
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
  get state(): LockState {
    return this.#state.k;
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
   * Whether the lock holds a value.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const lock = new OnceLock<boolean>();
   * lock.set(false);
   * assert.strictEqual(lock.isInitialized(), true);
   * ```
   */
  isInitialized(): boolean {
    return this.#state.k == 'ready';
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
    const signal = signalOf(options);
    const s = this.#state;
    return s.k == 'ready' ? s.p : (early(s, signal) ?? pend(this.#waiters, signal));
  }

  /** `getOrInit`/`force`: joins the running attempt or starts one with `f` (else the constructor's initializer). */
  protected _run(f: AsyncInitializer<T> | undefined, options: SignalOptions | undefined): Promise<T> {
    const s = this.#state;
    if (s.k == 'ready') return s.p;
    if (!f && this.#init === null) return Promise.reject(new InitStateError(this, 'was disposed'));
    const init = fnArg(f ?? this.#init ?? undefined);
    const signal = signalOf(options);
    const n = init.name;
    const stop = early(s, signal);
    if (stop) return stop;
    if (s.k == 'initializing') {
      const a = s.v;
      const p = this.#join(a, signal);
      // Everyone waiting on `a` left, so its initializer was told to stop: a failure then is not ours to inherit.
      return a.c.signal.aborted ? p.catch(() => this._run(f, options)) : p;
    }
    const a: Attempt = { n: this.#name || n || this.#kind, c: new AbortController(), w: new Set() };
    this.#state = { k: 'initializing', v: a, p: undefined };
    const p = this.#join(a, signal);
    try {
      Promise.resolve(enter(a, () => init(a.c.signal), true)).then(
        (v) => this.#end(a, 1, v),
        (e: unknown) => this.#end(a, 0, e),
      );
    } catch (error) {
      this.#end(a, 0, error);
    }
    return p;
  }

  /** A waiter on `a`; when the last one aborts, so does the initializer's signal. */
  #join(a: Attempt, signal: AbortSignal | undefined): Promise<T> {
    return pend(a.w, signal, () => a.w.size || a.c.abort());
  }

  /** Records the outcome of `a` if it is still the lock's attempt, then hands it to every waiter of `a`. */
  #end(a: Attempt, ok: 0 | 1, v: unknown): void {
    if (this.#state.v === a) {
      if (ok) {
        this.#state = { k: 'ready', v: v as T, p: Promise.resolve(v as T) };
        this.#init &&= null;
      } else this.#state = this.#cache && !a.c.signal.aborted ? { k: 'failed', v, p: undefined } : EMPTY;
      if (this.#state.k != 'empty') settleAll(this.#waiters, ok, v);
    }
    settleAll(a.w, ok, v);
  }

  /** `set`: stores `v` when empty. */
  protected _set(v: T): boolean {
    if (this.#state.k != 'empty') return false;
    this.#state = { k: 'ready', v, p: Promise.resolve(v) };
    settleAll(this.#waiters, 1, v);
    return true;
  }

  /** `tryInsert`. */
  protected _try(value: T): TryInsertResult<T> {
    const s = this.#state;
    if (this._set(value)) return { inserted: true, value };
    if (s.k == 'ready') return { inserted: false, value: s.v, rejected: value };
    throw (s.k == 'initializing' && reentered(s.v)) || new InitStateError(this, 'has no value to compare');
  }

  /** `take`: empties the lock now; a running attempt is detached (its waiters still get its outcome, the lock does not). */
  protected _take(): T | undefined {
    const s = this.#state;
    this.#state = EMPTY;
    if (s.k == 'initializing') s.v.c.abort();
    return s.k == 'ready' ? s.v : undefined;
  }

  /** `reset`, and with `retire` the disposal of a `LazyLock`, which also drops its initializer for good. */
  protected async _reset(retire?: boolean): Promise<boolean> {
    if (retire) this.#init = null;
    const ready = this.#state.k == 'ready';
    const v = this._take();
    if (ready) await disposeAsync(v);
    return ready;
  }

  /**
   * `Kind(name) <state>`; the value is never rendered.
   *
   * @example
   * ```ts
   * import assert from 'node:assert';
   * import { OnceLock } from '@lazy-init/runtime';
   *
   * const db = new OnceLock<object>({ name: 'db' });
   * const pending = db.getOrInit(() => new Promise<object>((resolve) => setTimeout(resolve, 1, {})));
   * assert.strictEqual(String(db), 'OnceLock(db) <initializing>');
   * await pending;
   * assert.strictEqual(String(db), 'OnceLock(db) <ready>');
   * ```
   */
  toString(): string {
    return show(this.#kind, this.#name, this.#state);
  }

  /** `util.inspect` output: `toString()` plus the value when ready, e.g. `OnceLock(db) <ready: 1>`. */
  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return show(this.#kind, this.#name, this.#state, inspect, options);
  }
}

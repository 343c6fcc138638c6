/** Options every constructor takes. */
export interface CellOptions {
  /**
   * Names the cell in errors (`ReentrantInitError.cycle`), `toString()` and `util.inspect`.
   * Defaults to the initializer's own function name when the constructor is given one.
   */
  name?: string | undefined;
}

/** Options of `OnceLock` and `LazyLock`. */
export interface LockOptions extends CellOptions {
  /**
   * `'retry'` (default): a failed attempt leaves the lock empty and the next call runs an initializer again.
   * `'cache'`: the first failure is kept (state `'failed'`) and replayed to every later caller until `reset()`,
   * the way a cached promise behaves. A failure after every waiter aborted is never cached.
   */
  failure?: 'retry' | 'cache' | undefined;
}

/** Options of the waiting methods: `getOrInit`, `force`, `init` and `wait` on the async types. */
export interface SignalOptions {
  /** Ends this caller's wait only: its promise rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** The state every type reports. */
export type InitState = 'empty' | 'initializing' | 'ready';

/** The state of `OnceLock` and `LazyLock`: `'failed'` only under `failure: 'cache'`. */
export type LockState = InitState | 'failed';

const fail = (what: string, type: string): never => {
  throw new TypeError(`Expected \`${what}\` to be ${type}.`);
};

/** Checks an initializer argument. */
export const fnArg = <F extends object>(f: F | undefined): F => (typeof f == 'function' ? f : fail('initializer', 'a function'));

type Known = Required<LockOptions & SignalOptions>;

/** Checks an options argument (an object or `undefined`) and reads its field `key`, checking that too. */
export const opt = <K extends keyof Known>(o: Partial<Pick<Known, K>> | undefined, key: K): Known[K] | undefined => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the value is being checked.
  const v: any = o === undefined || (o && typeof o == 'object') ? o?.[key] : fail('options', 'an object');
  return v === undefined || (key == 'name' ? typeof v == 'string' : key == 'signal' ? v.addEventListener : v == 'retry' || v == 'cache')
    ? v
    : fail('options.' + key, key == 'name' ? 'a string' : key == 'signal' ? 'an AbortSignal' : "`'retry'` or `'cache'`");
};

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

/** Checks an options argument and reads its field `key`, which must be `undefined` or of type `type`. */
const opt = <O extends object, K extends keyof O & string>(o: O | undefined, key: K, type: string): O[K] | undefined => {
  if (o !== undefined && (typeof o != 'object' || !o)) fail('options', 'an object');
  const v = o?.[key];
  return v === undefined || typeof v == type ? v : fail('options.' + key, 'of type ' + type);
};

/** Reads `options.signal`: an `AbortSignal` or `undefined`. */
export const signalOf = (o: SignalOptions | undefined): AbortSignal | undefined => {
  const s = opt(o, 'signal', 'object');
  return !s || typeof s.addEventListener == 'function' ? s : fail('options.signal', 'an AbortSignal');
};

/** Reads `options.name`, defaulting to the initializer's function name. */
export const nameOf = (o: CellOptions | undefined, f?: { readonly name: string }): string => opt(o, 'name', 'string') ?? f?.name ?? '';

/** Reads `options.failure`: whether failures are cached. */
export const cachesFailure = (o: LockOptions | undefined): boolean => {
  const f = opt(o, 'failure', 'string');
  return f === undefined || f == 'retry' || f == 'cache' ? f == 'cache' : fail('options.failure', "`'retry'` or `'cache'`");
};

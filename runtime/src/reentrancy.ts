import { ReentrantInitError } from './errors.js';

/**
 * One running initialization. Identity matters: a cell in `initializing` holds the frame of the run it waits for,
 * and a call is reentrant exactly when that frame is on the caller's chain.
 */
export interface Frame {
  /** Label used in `ReentrantInitError.cycle`. */
  readonly n: string;
}

/** `AsyncContext.Variable` and `AsyncLocalStorage` share `run`; they read the value with `get` and `getStore`. */
interface Context {
  run<R>(chain: readonly Frame[], fn: () => R): R;
  get?(): readonly Frame[] | undefined;
  getStore?(): readonly Frame[] | undefined;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- platform objects reached at run time have no static types here. */
/**
 * The async context that carries the chain across `await`s, used only where it costs the rest of the process
 * nothing: `AsyncContext.Variable` where the platform has it, else Node's `AsyncLocalStorage` when it runs on
 * AsyncContextFrame (Node 24 by default, Node 22 with `--experimental-async-context-frame`). On older Node it would
 * install promise hooks that tax every `await` in the process, so there it is used only after the opt-in
 * (`enableAsyncReentrancyDetection()` or `LAZY_INIT_ASYNC_REENTRANCY=1`); without it, detection covers synchronous
 * nesting, which includes the part of an async initializer before its first `await`.
 * `undefined` until first needed, so that importing the package has no side effect; `null` once decided against.
 */
let context: Context | null | undefined;

/**
 * `AsyncLocalStorage` built on async hooks (Node 20, 22 without AsyncContextFrame) enables promise hooks through
 * its `_enable` method; the AsyncContextFrame implementation (Node 24, 22 with the flag) has none. Testing for the
 * method sees what the process really runs, whatever flags started it.
 */
const createContext = (optIn?: boolean): Context | null => {
  const g = globalThis as any;
  const C = g.AsyncContext?.Variable ?? g.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  return C && (optIn || !C.prototype._enable || g.process.env?.LAZY_INIT_ASYNC_REENTRANCY) ? new C() : null;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Turns on reentrancy detection across `await` on platforms where it is not free (Node before 24 without
 * AsyncContextFrame): from then on every async initialization carries its chain in an `AsyncLocalStorage`, whose
 * promise hooks slow down every `await` in the process. Meant for tests and development; setting the environment
 * variable `LAZY_INIT_ASYNC_REENTRANCY` to any non-empty value (e.g. `1`) before the first async initialization does the same. Where detection is
 * already free this changes nothing. Initializations already running keep the detection they started with.
 *
 * @example
 * ```ts
 * import { OnceLock, ReentrantInitError, enableAsyncReentrancyDetection } from '@lazy-init/runtime';
 *
 * enableAsyncReentrancyDetection();
 * const config: OnceLock<number> = new OnceLock();
 * const load = (): Promise<number> =>
 *   config.getOrInit(async () => {
 *     await Promise.resolve();
 *     return (await load()) + 1; // reaches its own lock after an await
 *   });
 * const error = await load().catch((e: unknown) => e);
 * console.assert(error instanceof ReentrantInitError);
 * ```
 */
export const enableAsyncReentrancyDetection = (): void => {
  context ||= createContext(true);
};

/**
 * Frames of the initializers running synchronously right now, outermost first. Non-empty only inside `enter`,
 * where it is a superset of the async chain, so it is consulted first.
 */
let stack: readonly Frame[] = [];

/** The frames the current code runs inside. Reading never creates the async context. */
const chain = (): readonly Frame[] => (stack.length ? stack : ((context?.getStore ?? context?.get)?.call(context) ?? stack));

/**
 * Runs `fn` as the body of `frame`. With `async`, the chain also follows `fn`'s continuations across `await`.
 * Invariant: `stack` is restored on every exit, so it only ever describes synchronous nesting.
 */
export const enter = <R>(frame: Frame, fn: () => R, async?: boolean): R => {
  const outer = stack;
  const inner = (stack = [...chain(), frame]);
  try {
    const c = async && (context === undefined ? (context = createContext()) : context);
    return c ? c.run(inner, fn) : fn();
  } finally {
    stack = outer;
  }
};

/** The error for a call that waits on `frame`, when that call runs inside `frame` itself; else `undefined`. */
export const reentered = (frame: Frame): ReentrantInitError | undefined => {
  const c = chain();
  const i = c.indexOf(frame);
  return i < 0 ? undefined : new ReentrantInitError([...c.slice(i), frame].map((f) => f.n));
};


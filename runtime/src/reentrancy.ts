import { ReentrantInitError } from './errors.js';

/**
 * One running initialization. Identity matters: a cell in `initializing` holds the frame of the run it waits for,
 * and a call is reentrant exactly when that frame is on the caller's chain. Frames link outward, so the chain of the
 * code running now is its innermost frame: entering a run allocates nothing but its frame, and an async context
 * carries one reference. The label is worked out only when a cycle is reported, since reading a function's `name`
 * costs more than the rest of a first initialization.
 */
export interface Frame {
  /** The run this one started inside, synchronously or across `await`s; `undefined` for an outermost run. */
  readonly outer: Frame | undefined;
  /** The cell's own name; `''` when it has none. */
  readonly name: string;
  /** The initializer, whose name labels the run of an unnamed cell. */
  readonly initializer: { readonly name: string };
  /** The cell's type, which labels the run when neither has a name. */
  readonly kind: string;
}

/** What `ReentrantInitError.cycle` calls a run: the cell's name, else the initializer's, else the type's. */
const label = (frame: Frame): string => frame.name || frame.initializer.name || frame.kind;

/** `AsyncContext.Variable` and `AsyncLocalStorage` share `run`; they read the value with `get` and `getStore`. */
interface Context {
  /** Both hand `fn` the arguments after it, which spares a closure per run. */
  run<A, R>(innermost: Frame, fn: (argument: A) => R, argument: A): R;
  get?(): Frame | undefined;
  getStore?(): Frame | undefined;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- platform objects reached at run time have no static types here. */
/**
 * The async context that carries the innermost frame across `await`s, used only where it costs the rest of the process
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
  const platform = globalThis as any;
  const Storage = platform.AsyncContext?.Variable ?? platform.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  return Storage && (optIn || !Storage.prototype._enable || platform.process.env?.LAZY_INIT_ASYNC_REENTRANCY) ? new Storage() : null;
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
 * The innermost frame of the initializers running synchronously right now. Set only inside `enter`, where its chain
 * contains the async one, so it is consulted first.
 */
let innermost: Frame | undefined;

/** The innermost frame of the code running now, synchronously or across `await`s. Never creates the async context. */
export const current = (): Frame | undefined => innermost ?? (context?.getStore ?? context?.get)?.call(context);

/**
 * Runs `fn(argument)` as the body of `frame`, whose `outer` is `current()`. With `async`, `frame` also follows
 * `fn`'s continuations across `await`. Invariant: `innermost` is restored on every exit, so it only ever describes
 * synchronous nesting.
 */
export const enter = <A, R>(frame: Frame, fn: (argument: A) => R, async?: boolean, argument?: A): R => {
  const previous = innermost;
  innermost = frame;
  try {
    const asyncContext = async && (context === undefined ? (context = createContext()) : context);
    return asyncContext ? asyncContext.run(frame, fn, argument as A) : fn(argument as A);
  } finally {
    innermost = previous;
  }
};

/** The error for a call that waits on `frame`, when that call runs inside `frame` itself; else `undefined`. */
export const reentered = (frame: Frame): ReentrantInitError | undefined => {
  const inside: Frame[] = [];
  for (let at = current(); at; at = at.outer) {
    inside.push(at);
    if (at === frame) return new ReentrantInitError([...inside.reverse(), frame].map(label));
  }
  return undefined;
};

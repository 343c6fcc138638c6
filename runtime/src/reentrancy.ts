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
 * The async context that carries the chain across `await`s: `AsyncContext.Variable` where the platform has it, else
 * Node's `AsyncLocalStorage`; without either, detection covers synchronous nesting only.
 * Created on first need so that importing the package has no side effect (looked up again while unavailable).
 */
let context: Context | undefined;

const createContext = (): Context | undefined => {
  const g = globalThis as any;
  const C = g.AsyncContext?.Variable ?? g.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  return C && new C();
};
/* eslint-enable @typescript-eslint/no-explicit-any */

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
    const c = async && (context ??= createContext());
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


import { reentered, type Frame } from './reentrancy.js';

/** Settles one pending promise and detaches its abort listener. `ok` is truthy for a value, falsy for an error. */
export type Settle = (ok: unknown, value: unknown) => void;

/**
 * A promise for one caller, registered in `waiters` until it settles. `signal` ends only this wait (rejecting with
 * `signal.reason`); `gone` then runs, so the owner can react to a waiter leaving.
 * Invariant: a settled waiter is no longer in `waiters` and no longer listens to `signal`.
 */
export const pend = <T>(waiters: Set<Settle>, signal?: AbortSignal, gone?: () => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const abort = () => {
      settle(0, signal!.reason);
      gone?.();
    };
    const settle: Settle = (ok, value) => {
      waiters.delete(settle);
      signal?.removeEventListener('abort', abort);
      if (ok) resolve(value as T);
      else reject(value);
    };
    waiters.add(settle);
    signal?.addEventListener('abort', abort);
  });

/** Settles every registered waiter with the same outcome. */
export const settleAll = (waiters: Set<Settle>, ok: unknown, value: unknown): void => waiters.forEach((settle) => settle(ok, value));

/**
 * The rejection owed to a caller that must not wait on a cell in state `s`: its signal already aborted, a cached
 * failure, or a wait from inside the running initializer. `undefined` when the caller may wait.
 */
export const early = (s: { readonly k: string; readonly v: unknown }, signal: AbortSignal | undefined): Promise<never> | undefined => {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (s.k == 'failed') return Promise.reject(s.v);
  const e = s.k == 'initializing' && reentered(s.v as Frame);
  return e ? Promise.reject(e) : undefined;
};

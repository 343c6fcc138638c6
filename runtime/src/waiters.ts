/** Settles one pending promise and detaches its abort listener: with `value` when `ok`, else with it as the error. */
export type Settle = (ok: boolean, value: unknown) => void;

/**
 * A promise for one caller, registered in `waiters` until it settles. `signal` ends only this wait (rejecting with
 * `signal.reason`); `gone` then runs, so the owner can react to a waiter leaving.
 * Invariant: a settled waiter is no longer in `waiters` and no longer listens to `signal`.
 */
export const pend = <T>(waiters: Set<Settle>, signal?: AbortSignal, gone?: () => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    // Only a wait that can be aborted needs a listener.
    const abort =
      signal &&
      (() => {
        settle(false, signal.reason);
        gone?.();
      });
    const settle: Settle = (ok, value) => {
      waiters.delete(settle);
      if (abort) signal.removeEventListener('abort', abort);
      if (ok) resolve(value as T);
      else reject(value);
    };
    waiters.add(settle);
    if (abort) signal.addEventListener('abort', abort);
  });

/** Settles every registered waiter with the same outcome. */
export const settleAll = (waiters: Set<Settle>, ok: boolean, value: unknown): void => {
  // Each waiter removes itself as it settles, which a `Set` iteration allows.
  for (const settle of waiters) settle(ok, value);
};


/* eslint-disable @typescript-eslint/no-explicit-any -- any value may turn out to be disposable. */

/** Disposes a dropped value of a synchronous cell, when it implements `Symbol.dispose`. */
export const disposeSync = (value: unknown): void => {
  (value as any)?.[Symbol.dispose]?.();
};

/** Disposes a dropped value of an async type: `Symbol.asyncDispose` first, else `Symbol.dispose`, as `await using` does. */
export const disposeAsync = async (value: any): Promise<void> => {
  await (value?.[Symbol.asyncDispose] ?? value?.[Symbol.dispose])?.call(value);
};

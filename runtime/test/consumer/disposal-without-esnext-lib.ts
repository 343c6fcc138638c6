// A consumer compiled with a `lib` that predates `esnext.disposable`: the runtime's declarations must still compile.
import { LazyLock, OnceCell } from '@lazy-init/runtime';

const cell = new OnceCell<number>();
export const one: number = cell.getOrInit(() => 1);
cell[Symbol.dispose]();

const lock = new LazyLock(async () => 2);
export const two: Promise<number> = lock.force();
export const done: Promise<void> = lock[Symbol.asyncDispose]();

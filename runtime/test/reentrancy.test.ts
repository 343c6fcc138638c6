import { beforeAll, describe, expect, test } from 'vitest';
import { LazyCell, LazyInit, LazyLock, OnceCell, OnceLock, ReentrantInitError, enableAsyncReentrancyDetection } from '../src/index.js';
import { deferred, tick } from './helpers.js';

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected a throw.');
}

function expectCycle(error: unknown, cycle: string[]): void {
  expect(error).toBeInstanceOf(ReentrantInitError);
  expect(error).toBeInstanceOf(Error);
  const e = error as ReentrantInitError;
  expect(e.name).toBe('ReentrantInitError');
  expect(e.cycle).toEqual(cycle);
  expect(e.message).toBe(`Reentrant initialization: \`${cycle.join(' -> ')}\`.`);
}

describe('synchronous reentrancy', () => {
  test('an OnceCell initializer reaching its own cell throws before any nested initializer runs', () => {
    const cell = new OnceCell<number>({ name: 'self' });
    let nested = 0;
    const error = thrown(() => cell.getOrInit(() => cell.getOrInit(() => ++nested)));
    expectCycle(error, ['self', 'self']);
    expect(nested).toBe(0);
    expect(cell.state).toBe('empty');
    expect(cell.getOrInit(() => 1)).toBe(1);
  });

  test('a cycle through two cells names both: a -> b -> a', () => {
    const a = new OnceCell<number>({ name: 'a' });
    const b = new LazyCell((): number => a.getOrInit(() => 99) + 1, { name: 'b' });
    let nested = 0;
    const error = thrown(() => a.getOrInit(() => (nested++, b.value)));
    expectCycle(error, ['a', 'b', 'a']);
    expect(nested).toBe(1);
    expect(a.state).toBe('empty');
    expect(b.state).toBe('empty');
  });

  test('cells are named by option, else by initializer function name, else by type', () => {
    const named = new LazyCell(function config(): number {
      return named.value;
    });
    expectCycle(
      thrown(() => named.value),
      ['config', 'config'],
    );
    const cell = new OnceCell<number>();
    const loadPort = (): number => cell.getOrInit(loadPort);
    expectCycle(
      thrown(() => cell.getOrInit(loadPort)),
      ['loadPort', 'loadPort'],
    );
    expectCycle(
      thrown(() => cell.getOrInit(() => cell.getOrInit(() => 1))),
      ['OnceCell', 'OnceCell'],
    );
  });

  test('a cell whose initializer only reads other cells is not reentrant', () => {
    const a = new OnceCell<number>();
    const b = new OnceCell<number>();
    expect(a.getOrInit(() => b.getOrInit(() => 1) + b.getOrInit(() => 5))).toBe(2);
  });

  test('the cycle array is read-only in its type and holds plain names', () => {
    const a = new OnceCell<number>({ name: 'x' });
    const error = thrown(() => a.getOrInit(() => a.getOrInit(() => 1))) as ReentrantInitError;
    expect(Array.isArray(error.cycle)).toBe(true);
    expect(error.cycle.every((n) => typeof n === 'string')).toBe(true);
  });
});

describe('async reentrancy', () => {
  // Free on Node 24; an opt-in on Node 20 and 22, where the async context installs promise hooks.
  beforeAll(() => enableAsyncReentrancyDetection());

  test('an OnceLock initializer awaiting its own lock (synchronously) rejects with ReentrantInitError', async () => {
    const lock = new OnceLock<number>({ name: 'db' });
    let nested = 0;
    const outer = lock.getOrInit(() => lock.getOrInit(() => ++nested));
    const error = await outer.catch((e: unknown) => e);
    expectCycle(error, ['db', 'db']);
    expect(nested).toBe(0);
    expect(lock.state).toBe('empty');
  });

  test('detected across awaits', async () => {
    const lock = new OnceLock<number>({ name: 'db' });
    const outer = lock.getOrInit(async () => {
      await tick();
      await Promise.resolve();
      return lock.getOrInit(() => 1);
    });
    expectCycle(await outer.catch((e: unknown) => e), ['db', 'db']);
  });

  test('a cycle through two locks, across awaits, rejects every caller and leaves both empty', async () => {
    const a = new OnceLock<number>({ name: 'a' });
    const b = new LazyLock(
      async () => {
        await tick();
        return (await a.getOrInit(() => 0)) + 1;
      },
      { name: 'b' },
    );
    const first = a.getOrInit(async () => {
      await tick();
      return b.force();
    });
    const second = a.getOrInit(() => 5);
    const [r1, r2] = await Promise.allSettled([first, second]);
    expect(r1.status).toBe('rejected');
    expect(r2.status).toBe('rejected');
    expectCycle((r1 as PromiseRejectedResult).reason, ['a', 'b', 'a']);
    expect((r2 as PromiseRejectedResult).reason).toBe((r1 as PromiseRejectedResult).reason);
    expect(a.state).toBe('empty');
    expect(b.state).toBe('empty');
  });

  test('a LazyLock forcing itself', async () => {
    const lock: LazyLock<number> = new LazyLock(async function token(): Promise<number> {
      await tick();
      return lock.force();
    });
    expectCycle(await lock.force().catch((e: unknown) => e), ['token', 'token']);
  });

  test('wait() inside the own initializer rejects instead of hanging', async () => {
    const lock = new OnceLock<number>({ name: 'w' });
    const outer = lock.getOrInit(async () => {
      await tick();
      return lock.wait();
    });
    expectCycle(await outer.catch((e: unknown) => e), ['w', 'w']);
  });

  test('a LazyInit whose initializer calls its own init gets a failed result carrying ReentrantInitError', async () => {
    const lazy = new LazyInit<number>({ name: 'session' });
    let nested = 0;
    const result = await lazy.init(async () => {
      await tick();
      const inner = await lazy.init(() => ++nested);
      return inner.status === 'failed' ? -1 : inner.value;
    });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expectCycle(result.error, ['session', 'session']);
    expect(nested).toBe(0);
    expect(lazy.state).toBe('empty');
  });

  test('LazyInit reset() and wait() inside the initializer reject too', async () => {
    const lazy = new LazyInit<number>({ name: 'l' });
    const errors: unknown[] = [];
    await lazy.init(async () => {
      await tick();
      errors.push(await lazy.reset().catch((e: unknown) => e));
      errors.push(await lazy.wait().catch((e: unknown) => e));
      return 1;
    });
    expectCycle(errors[0], ['l', 'l']);
    expectCycle(errors[1], ['l', 'l']);
    expect(lazy.get()).toBe(1);
  });

  test('a cycle from a sync cell through a lock back to the cell', async () => {
    const cell = new OnceCell<Promise<number>>({ name: 'cell' });
    const lock = new OnceLock<number>({ name: 'lock' });
    let error: unknown;
    cell.getOrInit(() =>
      lock.getOrInit(() => {
        error = thrown(() => cell.getOrInit(() => Promise.resolve(1)));
        return 1;
      }),
    );
    expectCycle(error, ['cell', 'lock', 'cell']);
  });

  test('unrelated concurrent callers wait instead of being flagged', async () => {
    const shared = new OnceLock<number>({ name: 'shared' });
    const d = deferred<number>();
    const owner = shared.getOrInit(() => d.promise);
    const other = new OnceLock<number>({ name: 'other' });
    const viaOther = other.getOrInit(async () => (await shared.getOrInit(() => 0)) + 1);
    d.resolve(1);
    expect(await owner).toBe(1);
    expect(await viaOther).toBe(2);
  });

  test('a task left behind by a detached attempt waits for the new attempt instead of failing', async () => {
    const lock = new OnceLock<string>({ name: 'x' });
    const leftBehind = deferred<{ task: Promise<string> }>();
    const first = lock.getOrInit(async () => {
      await tick();
      leftBehind.resolve({
        task: (async () => {
          await tick();
          return lock.getOrInit(() => 'from the left-behind task');
        })(),
      });
      return 'first';
    });
    lock.take();
    const d = deferred<string>();
    const second = lock.getOrInit(() => d.promise);
    expect(await first).toBe('first');
    const { task } = await leftBehind.promise;
    await tick();
    await tick();
    d.resolve('second');
    expect(await second).toBe('second');
    expect(await task).toBe('second');
  });
});

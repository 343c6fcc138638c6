import { describe, expect, test } from 'vitest';
import { LazyCell, LazyInit, LazyLock, OnceCell, OnceLock } from '../src/index.js';
import { deferred, settled } from './helpers.js';

/** A value that records its disposals. */
function resource(log: string[], name: string) {
  return {
    name,
    [Symbol.dispose]() {
      log.push(`dispose ${name}`);
    },
  };
}

function asyncResource(log: string[], name: string, gate?: Promise<void>) {
  return {
    name,
    async [Symbol.asyncDispose]() {
      await gate;
      log.push(`asyncDispose ${name}`);
    },
    [Symbol.dispose]() {
      log.push(`dispose ${name}`);
    },
  };
}

describe('OnceCell disposal', () => {
  test('reset() disposes the dropped value; take() does not', () => {
    const log: string[] = [];
    const cell = new OnceCell<ReturnType<typeof resource>>();
    cell.set(resource(log, 'a'));
    const taken = cell.take();
    expect(taken?.name).toBe('a');
    expect(log).toEqual([]);
    cell.set(resource(log, 'b'));
    expect(cell.reset()).toBe(true);
    expect(log).toEqual(['dispose b']);
  });

  test('[Symbol.dispose]() resets the cell', () => {
    const log: string[] = [];
    const cell = new OnceCell<ReturnType<typeof resource>>();
    cell.getOrInit(() => resource(log, 'c'));
    cell[Symbol.dispose]();
    expect(log).toEqual(['dispose c']);
    expect(cell.state).toBe('empty');
  });

  test('values that are not disposable are simply dropped', () => {
    const cell = new OnceCell<unknown>();
    for (const value of [1, null, undefined, 'x', {}]) {
      cell.set(value);
      expect(cell.reset()).toBe(true);
    }
  });

  test('`using` disposes the value at the end of the scope', () => {
    const log: string[] = [];
    {
      using cell = new OnceCell<ReturnType<typeof resource>>();
      cell.getOrInit(() => resource(log, 'scoped'));
      expect(log).toEqual([]);
    }
    expect(log).toEqual(['dispose scoped']);
  });
});

describe('LazyCell disposal', () => {
  test('[Symbol.dispose]() disposes the computed value', () => {
    const log: string[] = [];
    const cell = new LazyCell(() => resource(log, 'lazy'));
    expect(cell.value.name).toBe('lazy');
    cell[Symbol.dispose]();
    expect(log).toEqual(['dispose lazy']);
  });

  test('disposing a cell never used disposes nothing and runs nothing', () => {
    let runs = 0;
    const cell = new LazyCell(() => (++runs, resource([], 'unused')));
    cell[Symbol.dispose]();
    expect(runs).toBe(0);
    expect(cell.state).toBe('empty');
  });

  test('`using` disposes at the end of the scope', () => {
    const log: string[] = [];
    {
      using cell = new LazyCell(() => resource(log, 'scoped'));
      void cell.value;
    }
    expect(log).toEqual(['dispose scoped']);
  });
});

describe('OnceLock disposal', () => {
  test('reset() awaits Symbol.asyncDispose of the dropped value', async () => {
    const log: string[] = [];
    const gate = deferred<void>();
    const lock = new OnceLock<ReturnType<typeof asyncResource>>();
    await lock.getOrInit(async () => asyncResource(log, 'conn', gate.promise));
    const reset = lock.reset();
    expect(lock.state).toBe('empty');
    expect(await settled(reset)).toBe(false);
    gate.resolve();
    expect(await reset).toBe(true);
    expect(log).toEqual(['asyncDispose conn']);
  });

  test('reset() falls back to Symbol.dispose', async () => {
    const log: string[] = [];
    const lock = new OnceLock<ReturnType<typeof resource>>();
    lock.set(resource(log, 'sync'));
    expect(await lock.reset()).toBe(true);
    expect(log).toEqual(['dispose sync']);
  });

  test('take() hands the value out undisposed', async () => {
    const log: string[] = [];
    const lock = new OnceLock<ReturnType<typeof asyncResource>>();
    lock.set(asyncResource(log, 'kept'));
    expect(lock.take()?.name).toBe('kept');
    expect(log).toEqual([]);
  });

  test('a failing disposal rejects reset(), and the lock is still empty', async () => {
    const lock = new OnceLock<AsyncDisposable>();
    const boom = new Error('close failed');
    lock.set({ [Symbol.asyncDispose]: () => Promise.reject(boom) });
    await expect(lock.reset()).rejects.toBe(boom);
    expect(lock.state).toBe('empty');
  });

  test('[Symbol.asyncDispose]() resets the lock', async () => {
    const log: string[] = [];
    const lock = new OnceLock<ReturnType<typeof asyncResource>>();
    lock.set(asyncResource(log, 'x'));
    await lock[Symbol.asyncDispose]();
    expect(log).toEqual(['asyncDispose x']);
    expect(lock.state).toBe('empty');
  });

  test('`await using` disposes at the end of the scope', async () => {
    const log: string[] = [];
    {
      await using lock = new OnceLock<ReturnType<typeof asyncResource>>();
      await lock.getOrInit(async () => asyncResource(log, 'scoped'));
    }
    expect(log).toEqual(['asyncDispose scoped']);
  });
});

describe('LazyLock disposal', () => {
  test('[Symbol.asyncDispose]() awaits the disposal of the value', async () => {
    const log: string[] = [];
    const gate = deferred<void>();
    const lock = new LazyLock(async () => asyncResource(log, 'db', gate.promise), { name: 'db' });
    await lock.force();
    const disposing = lock[Symbol.asyncDispose]();
    expect(await settled(disposing)).toBe(false);
    gate.resolve();
    await disposing;
    expect(log).toEqual(['asyncDispose db']);
  });

  test('disposing before the value is there disposes nothing', async () => {
    const log: string[] = [];
    const d = deferred<ReturnType<typeof resource>>();
    const lock = new LazyLock(() => d.promise);
    const pending = lock.force();
    await lock[Symbol.asyncDispose]();
    d.resolve(resource(log, 'late'));
    expect((await pending).name).toBe('late');
    expect(log).toEqual([]);
  });

  test('`await using` disposes at the end of the scope', async () => {
    const log: string[] = [];
    {
      await using lock = new LazyLock(async () => asyncResource(log, 'scoped'));
      await lock.force();
    }
    expect(log).toEqual(['asyncDispose scoped']);
  });
});

describe('LazyInit disposal', () => {
  test('reset() waits for its turn, then disposes the value', async () => {
    const log: string[] = [];
    const lazy = new LazyInit<ReturnType<typeof asyncResource>>();
    const d = deferred<ReturnType<typeof asyncResource>>();
    const init = lazy.init(() => d.promise);
    const reset = lazy.reset();
    d.resolve(asyncResource(log, 'session'));
    expect((await init).status).toBe('initialized');
    expect(await reset).toBe(true);
    expect(log).toEqual(['asyncDispose session']);
    expect(await lazy.reset()).toBe(false);
  });

  test('[Symbol.asyncDispose]() resets, and `await using` works', async () => {
    const log: string[] = [];
    {
      await using lazy = new LazyInit<ReturnType<typeof asyncResource>>();
      await lazy.init(async () => asyncResource(log, 'scoped'));
    }
    expect(log).toEqual(['asyncDispose scoped']);
  });
});

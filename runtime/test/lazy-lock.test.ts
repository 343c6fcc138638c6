import { describe, expect, test } from 'vitest';
import { LazyLock } from '../src/index.js';
import { deferred, tick } from './helpers.js';

describe('LazyLock', () => {
  test('force() runs the initializer once for all concurrent callers', async () => {
    const d = deferred<object>();
    let runs = 0;
    const lock = new LazyLock(() => (runs++, d.promise));
    expect(runs).toBe(0);
    const a = lock.force();
    const b = lock.force();
    expect(lock.state).toBe('initializing');
    expect(lock.get()).toBeUndefined();
    const value = {};
    d.resolve(value);
    expect(await a).toBe(value);
    expect(await b).toBe(value);
    expect(runs).toBe(1);
    expect(lock.get()).toBe(value);
    expect(lock.isInitialized()).toBe(true);
    expect(await lock.force()).toBe(value);
    expect(runs).toBe(1);
  });

  test('failure rejects every caller of the attempt with the same error; the next force() retries', async () => {
    let runs = 0;
    const errors: Error[] = [];
    const lock = new LazyLock(async () => {
      runs++;
      if (runs === 1) {
        const error = new Error('first');
        errors.push(error);
        throw error;
      }
      return runs;
    });
    const [a, b] = await Promise.allSettled([lock.force(), lock.force()]);
    expect(a).toEqual({ status: 'rejected', reason: errors[0] });
    expect(b).toEqual({ status: 'rejected', reason: errors[0] });
    expect(lock.state).toBe('empty');
    expect(await lock.force()).toBe(2);
  });

  test("failure: 'cache' replays the first failure for good", async () => {
    let runs = 0;
    const boom = new Error('once');
    const lock = new LazyLock(() => (runs++, Promise.reject(boom)), { failure: 'cache' });
    await expect(lock.force()).rejects.toBe(boom);
    await expect(lock.force()).rejects.toBe(boom);
    expect(lock.state).toBe('failed');
    expect(runs).toBe(1);
  });

  test('abort ends one wait; when all callers left the initializer signal aborts and a late value is kept', async () => {
    const d = deferred<string>();
    let signal!: AbortSignal;
    const lock = new LazyLock((s) => ((signal = s), d.promise));
    const c = new AbortController();
    const a = lock.force({ signal: c.signal });
    c.abort(new Error('bye'));
    await expect(a).rejects.toThrow('bye');
    expect(signal.aborted).toBe(true);
    d.resolve('kept');
    await tick();
    expect(lock.get()).toBe('kept');
  });

  test('wait() resolves once another caller forces it', async () => {
    const lock = new LazyLock(async () => 5);
    const waiting = lock.wait();
    expect(lock.state).toBe('empty');
    await lock.force();
    expect(await waiting).toBe(5);
  });

  test('bad arguments are TypeErrors', () => {
    expect(() => new LazyLock(1 as never)).toThrow('Expected `initializer` to be a function.');
    expect(() => new LazyLock(async () => 1, { failure: 'never' as never })).toThrow(TypeError);
    const lock = new LazyLock(async () => 1);
    expect(() => lock.force({ signal: 1 as never })).toThrow(TypeError);
  });
});

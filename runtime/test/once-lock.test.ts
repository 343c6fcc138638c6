import { describe, expect, test } from 'vitest';
import { OnceLock } from '../src/index.js';
import { deferred, settled, tick } from './helpers.js';

describe('OnceLock', () => {
  test('single flight: concurrent callers share one run, later initializers are never called', async () => {
    const lock = new OnceLock<object>();
    const d = deferred<object>();
    let runs = 0;
    let others = 0;
    const a = lock.getOrInit(() => (runs++, d.promise));
    const b = lock.getOrInit(() => (others++, {}));
    const c = lock.getOrInit(() => (others++, {}));
    expect(lock.state).toBe('initializing');
    const value = {};
    d.resolve(value);
    expect(await Promise.all([a, b, c])).toEqual([value, value, value]);
    expect((await a) === value && (await b) === value).toBe(true);
    expect(runs).toBe(1);
    expect(others).toBe(0);
    expect(lock.state).toBe('ready');
    expect(lock.get()).toBe(value);
  });

  test('the ready path resolves with the value without running the initializer', async () => {
    const lock = new OnceLock<number>();
    await lock.getOrInit(() => 1);
    let ran = false;
    const p = lock.getOrInit(() => ((ran = true), 2));
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(1);
    expect(ran).toBe(false);
  });

  test('the ready path hands out one kept promise until the value leaves the lock', async () => {
    const lock = new OnceLock<number>();
    lock.set(1);
    const first = lock.getOrInit(() => 2);
    expect(lock.getOrInit(() => 2)).toBe(first);
    expect(lock.wait()).toBe(first);
    expect(await first).toBe(1);
    expect(lock.take()).toBe(1);
    const fresh = lock.getOrInit(() => 3);
    expect(fresh).not.toBe(first);
    expect(await fresh).toBe(3);
    expect(lock.getOrInit(() => 4)).toBe(lock.wait());
    expect(await lock.reset()).toBe(true);
    expect(lock.set(5)).toBe(true);
    expect(await lock.getOrInit(() => 6)).toBe(5);
  });

  test('a synchronous value or throw is handled like a promise', async () => {
    const lock = new OnceLock<number>();
    const boom = new Error('sync');
    await expect(
      lock.getOrInit(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(lock.state).toBe('empty');
    expect(await lock.getOrInit(() => 7)).toBe(7);
  });

  test('every waiter of a failed attempt rejects with the same error; the lock is empty and the next call retries', async () => {
    const lock = new OnceLock<number>();
    const d = deferred<number>();
    const a = lock.getOrInit(() => d.promise);
    const b = lock.getOrInit(() => 2);
    const boom = new Error('down');
    d.reject(boom);
    const [ra, rb] = await Promise.allSettled([a, b]);
    expect(ra).toEqual({ status: 'rejected', reason: boom });
    expect(rb).toEqual({ status: 'rejected', reason: boom });
    expect(lock.state).toBe('empty');
    expect(await lock.getOrInit(() => 3)).toBe(3);
  });

  test.each([0, '', false, null, undefined])('caches the falsy value %s', async (value) => {
    const lock = new OnceLock<unknown>();
    let runs = 0;
    expect(await lock.getOrInit(async () => (runs++, value))).toBe(value);
    expect(await lock.getOrInit(async () => (runs++, 'x'))).toBe(value);
    expect(runs).toBe(1);
    expect(lock.state).toBe('ready');
  });

  test('a caller abort ends only its own wait, with signal.reason', async () => {
    const lock = new OnceLock<string>();
    const d = deferred<string>();
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const a = lock.getOrInit(
      (s) => {
        signal = s;
        return d.promise;
      },
      { signal: controller.signal },
    );
    const b = lock.getOrInit(() => 'never');
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(a).rejects.toBe(reason);
    expect(signal?.aborted).toBe(false); // b still waits
    d.resolve('v');
    expect(await b).toBe('v');
    expect(lock.get()).toBe('v');
  });

  test('a first caller without a signal keeps the run going when a later caller with one leaves', async () => {
    const lock = new OnceLock<string>();
    const d = deferred<string>();
    let signal: AbortSignal | undefined;
    const a = lock.getOrInit((s) => ((signal = s), d.promise));
    const controller = new AbortController();
    const b = lock.getOrInit(() => 'never', { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(b).rejects.toThrow('gave up');
    expect(signal?.aborted).toBe(false);
    d.resolve('v');
    expect(await a).toBe('v');
    // Callers without a signal share the run's promise; each caller with a signal has its own.
    const c = new OnceLock<number>();
    const e = deferred<number>();
    const first = c.getOrInit(() => e.promise);
    expect(c.getOrInit(() => 0)).toBe(first);
    const own = c.getOrInit(() => 0, { signal: new AbortController().signal });
    expect(own).not.toBe(first);
    e.reject(new Error('down'));
    await expect(first).rejects.toThrow('down');
    await expect(own).rejects.toThrow('down');
  });

  test('an already aborted signal rejects at once and starts nothing', async () => {
    const lock = new OnceLock<number>();
    const reason = new Error('before');
    let ran = false;
    await expect(lock.getOrInit(() => ((ran = true), 1), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(ran).toBe(false);
    expect(lock.state).toBe('empty');
  });

  test("the initializer's signal aborts when every waiter aborted; a late value is still stored", async () => {
    const lock = new OnceLock<string>();
    const d = deferred<string>();
    const c1 = new AbortController();
    const c2 = new AbortController();
    let signal!: AbortSignal;
    const a = lock.getOrInit(
      (s) => {
        signal = s;
        return d.promise;
      },
      { signal: c1.signal },
    );
    const b = lock.getOrInit(() => 'x', { signal: c2.signal });
    c1.abort();
    expect(signal.aborted).toBe(false);
    c2.abort();
    expect(signal.aborted).toBe(true);
    await expect(a).rejects.toBe(c1.signal.reason);
    await expect(b).rejects.toBe(c2.signal.reason);
    d.resolve('late');
    await tick();
    expect(lock.state).toBe('ready');
    expect(lock.get()).toBe('late');
  });

  test('only an initializer that declares a parameter is handed a signal', async () => {
    const lock = new OnceLock<number>();
    let received: unknown = 'not called';
    expect(await lock.getOrInit((...args: unknown[]) => ((received = args[0]), 1))).toBe(1);
    expect(received).toBeUndefined();
    lock.take();
    expect(await lock.getOrInit((signal) => ((received = signal), 2))).toBe(2);
    expect(received).toBeInstanceOf(AbortSignal);
    expect((received as AbortSignal).aborted).toBe(false);
  });

  test('a caller that joins an attempt everyone left runs its own initializer if that attempt fails', async () => {
    const lock = new OnceLock<string>();
    const d = deferred<string>();
    const c = new AbortController();
    const a = lock.getOrInit(() => d.promise, { signal: c.signal });
    c.abort();
    await expect(a).rejects.toBeDefined();
    let ran = 0;
    const b = lock.getOrInit(() => (ran++, 'fresh'));
    expect(ran).toBe(0); // single flight: the abandoned attempt still runs
    d.reject(new Error('aborted'));
    expect(await b).toBe('fresh');
    expect(ran).toBe(1);
  });

  test('a failure after every waiter aborted is not cached, even under failure: cache', async () => {
    const lock = new OnceLock<string>({ failure: 'cache' });
    const d = deferred<string>();
    const c = new AbortController();
    const a = lock.getOrInit(() => d.promise, { signal: c.signal });
    c.abort();
    await expect(a).rejects.toBeDefined();
    d.reject(new Error('aborted'));
    await tick();
    expect(lock.state).toBe('empty');
  });

  test('wait() resolves when someone else initializes, and starts nothing', async () => {
    const lock = new OnceLock<number>();
    const waiting = lock.wait();
    await tick();
    expect(lock.state).toBe('empty');
    expect(await settled(waiting)).toBe(false);
    const failing = lock.getOrInit(() => Promise.reject(new Error('first')));
    await expect(failing).rejects.toThrow('first');
    expect(await settled(waiting)).toBe(false); // a failed attempt does not end a wait
    await lock.getOrInit(async () => 4);
    expect(await waiting).toBe(4);
    expect(await lock.wait()).toBe(4);
  });

  test('wait() wakes on set(), and honours its signal', async () => {
    const lock = new OnceLock<number>();
    const c = new AbortController();
    const aborted = lock.wait({ signal: c.signal });
    const woken = lock.wait();
    c.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    lock.set(9);
    expect(await woken).toBe(9);
  });

  test('set and tryInsert only fill an empty lock', async () => {
    const lock = new OnceLock<string>();
    expect(lock.tryInsert('a')).toEqual({ inserted: true, value: 'a' });
    expect(lock.set('b')).toBe(false);
    expect(lock.tryInsert('c')).toEqual({ inserted: false, value: 'a', rejected: 'c' });
    expect(await lock.getOrInit(() => 'd')).toBe('a');
  });

  test('set is false and tryInsert throws InitStateError while an attempt runs', async () => {
    const lock = new OnceLock<number>({ name: 'n' });
    const d = deferred<number>();
    const p = lock.getOrInit(() => d.promise);
    expect(lock.set(1)).toBe(false);
    expect(() => lock.tryInsert(1)).toThrow(expect.objectContaining({ name: 'InitStateError' }));
    expect(() => lock.tryInsert(1)).toThrow('`OnceLock(n) <initializing>` has no value to compare.');
    d.resolve(2);
    expect(await p).toBe(2);
  });

  test('take() empties now and detaches the attempt: its waiters get the value, the lock does not', async () => {
    const lock = new OnceLock<string>();
    const d = deferred<string>();
    let signal!: AbortSignal;
    const a = lock.getOrInit((s) => ((signal = s), d.promise));
    expect(lock.take()).toBeUndefined();
    expect(lock.state).toBe('empty');
    expect(signal.aborted).toBe(true);
    const b = lock.getOrInit(() => 'second'); // a new attempt may start at once
    d.resolve('first');
    expect(await a).toBe('first');
    expect(await b).toBe('second');
    expect(lock.get()).toBe('second');
  });

  test('take() returns the value without disposing it', async () => {
    const lock = new OnceLock<{ v: number }>();
    const value = await lock.getOrInit(() => ({ v: 1 }));
    expect(lock.take()).toBe(value);
    expect(lock.take()).toBeUndefined();
  });

  test('reset() empties now and resolves with whether there was a value', async () => {
    const lock = new OnceLock<number>();
    expect(await lock.reset()).toBe(false);
    await lock.getOrInit(() => 0);
    const p = lock.reset();
    expect(lock.state).toBe('empty');
    expect(await p).toBe(true);
  });

  test('reset() detaches an in-flight attempt whose failure still reaches its waiters', async () => {
    const lock = new OnceLock<number>();
    const d = deferred<number>();
    const a = lock.getOrInit(() => d.promise);
    expect(await lock.reset()).toBe(false);
    d.reject(new Error('late failure'));
    await expect(a).rejects.toThrow('late failure');
    expect(lock.state).toBe('empty');
  });

  test("failure: 'cache' keeps the first failure and replays it until reset()", async () => {
    const lock = new OnceLock<number>({ failure: 'cache' });
    const boom = new Error('cached');
    await expect(lock.getOrInit(() => Promise.reject(boom))).rejects.toBe(boom);
    expect(lock.state).toBe('failed');
    let ran = false;
    await expect(lock.getOrInit(() => ((ran = true), 1))).rejects.toBe(boom);
    await expect(lock.wait()).rejects.toBe(boom);
    expect(ran).toBe(false);
    expect(lock.set(1)).toBe(false);
    expect(() => lock.tryInsert(1)).toThrow('has no value to compare');
    expect(lock.get()).toBeUndefined();
    expect(await lock.reset()).toBe(false);
    expect(lock.state).toBe('empty');
    expect(await lock.getOrInit(() => 2)).toBe(2);
  });

  test("failure: 'cache' rejects pending wait() callers with the failure", async () => {
    const lock = new OnceLock<number>({ failure: 'cache' });
    const waiting = lock.wait();
    const boom = new Error('x');
    await expect(lock.getOrInit(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(waiting).rejects.toBe(boom);
  });

  test('a PromiseLike that is not a Promise is awaited', async () => {
    const lock = new OnceLock<number>();
    const thenable: PromiseLike<number> = { then: (resolve) => (setTimeout(() => resolve?.(5), 1), undefined as never) };
    expect(await lock.getOrInit(() => thenable)).toBe(5);
    expect(lock.get()).toBe(5);
  });

  test('aborting after the value arrived changes nothing and leaves no listener behind', async () => {
    const lock = new OnceLock<number>();
    const c = new AbortController();
    let listeners = 0;
    const signal = c.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
    expect(await lock.getOrInit(async () => 1, { signal })).toBe(1);
    expect(listeners).toBe(0);
    c.abort();
    expect(await lock.getOrInit(() => 2, { signal })).toBe(1); // the ready path needs no wait
  });

  test('wait() and getOrInit resolve with a stored undefined', async () => {
    const lock = new OnceLock<undefined>();
    const waiting = lock.wait();
    expect(lock.set(undefined)).toBe(true);
    expect(await waiting).toBeUndefined();
    expect(lock.state).toBe('ready');
    let ran = false;
    expect(await lock.getOrInit(() => ((ran = true), undefined))).toBeUndefined();
    expect(ran).toBe(false);
  });

  test('bad arguments are TypeErrors', () => {
    const lock = new OnceLock<number>();
    expect(() => lock.getOrInit(null as never)).toThrow('Expected `initializer` to be a function.');
    expect(() => lock.getOrInit(() => 1, { signal: 'no' as never })).toThrow('Expected `options.signal` to be an AbortSignal.');
    expect(() => lock.getOrInit(() => 1, { signal: {} as never })).toThrow(TypeError);
    expect(() => lock.wait(5 as never)).toThrow('Expected `options` to be an object.');
    expect(() => new OnceLock({ failure: 'always' as never })).toThrow("Expected `options.failure` to be `'retry'` or `'cache'`.");
    expect(lock.state).toBe('empty');
  });
});

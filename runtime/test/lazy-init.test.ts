import { describe, expect, test } from 'vitest';
import { LazyInit, type InitResult } from '../src/index.js';
import { deferred, settled, tick } from './helpers.js';

describe('LazyInit', () => {
  test('the first call initializes; queued calls get already-initialized without running their initializer', async () => {
    const lazy = new LazyInit<string>();
    const d = deferred<string>();
    let others = 0;
    const a = lazy.init(() => d.promise);
    const b = lazy.init(() => (others++, 'b'));
    await tick();
    expect(lazy.state).toBe('initializing');
    d.resolve('a');
    expect(await a).toEqual({ status: 'initialized', value: 'a' });
    expect(await b).toEqual({ status: 'already-initialized', value: 'a' });
    expect(others).toBe(0);
    expect(lazy.get()).toBe('a');
  });

  test('calls are serialized in arrival order: after a failure the next caller runs its own initializer', async () => {
    const lazy = new LazyInit<string, Error>();
    const order: string[] = [];
    const boom = new Error('boom');
    const first = lazy.init(async () => {
      order.push('first');
      throw boom;
    });
    const second = lazy.init(async () => {
      order.push('second');
      return 'ok';
    });
    const third = lazy.init(async () => {
      order.push('third');
      return 'no';
    });
    const results = await Promise.all([first, second, third]);
    expect(results).toEqual<InitResult<string, Error>[]>([
      { status: 'failed', error: boom },
      { status: 'initialized', value: 'ok' },
      { status: 'already-initialized', value: 'ok' },
    ]);
    expect(order).toEqual(['first', 'second']);
  });

  test('at most one initializer runs at a time', async () => {
    const lazy = new LazyInit<number>();
    let running = 0;
    let most = 0;
    const init = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      throw new Error('fail');
    };
    await Promise.all([lazy.init(init), lazy.init(init), lazy.init(init)]);
    expect(most).toBe(1);
  });

  test('a synchronous throw is a failed result, not a rejection', async () => {
    const lazy = new LazyInit<number>();
    const boom = new Error('sync');
    expect(
      await lazy.init(() => {
        throw boom;
      }),
    ).toEqual({ status: 'failed', error: boom });
    expect(lazy.state).toBe('empty');
  });

  test.each([0, '', false, null, undefined])('stores the falsy value %s', async (value) => {
    const lazy = new LazyInit<unknown>();
    expect(await lazy.init(() => value)).toEqual({ status: 'initialized', value });
    expect(await lazy.init(() => 'x')).toEqual({ status: 'already-initialized', value });
    expect(lazy.isInitialized()).toBe(true);
  });

  test('an aborted queued call rejects with signal.reason and its initializer never runs', async () => {
    const lazy = new LazyInit<string>();
    const d = deferred<string>();
    const first = lazy.init(() => d.promise);
    const c = new AbortController();
    let ran = false;
    const second = lazy.init(() => ((ran = true), 'second'), { signal: c.signal });
    const third = lazy.init(() => 'third');
    const reason = new Error('left the queue');
    c.abort(reason);
    await expect(second).rejects.toBe(reason);
    d.reject(new Error('x'));
    expect((await first).status).toBe('failed');
    expect(await third).toEqual({ status: 'initialized', value: 'third' });
    expect(ran).toBe(false);
  });

  test('aborting the running call aborts its initializer signal; the queue still waits for it and keeps its value', async () => {
    const lazy = new LazyInit<string>();
    const d = deferred<string>();
    const c = new AbortController();
    let signal!: AbortSignal;
    const first = lazy.init((s) => ((signal = s), d.promise), { signal: c.signal });
    await tick();
    let ran = false;
    const second = lazy.init(() => ((ran = true), 'second'));
    c.abort(new Error('stop'));
    await expect(first).rejects.toThrow('stop');
    expect(signal.aborted).toBe(true);
    expect(await settled(second)).toBe(false); // still queued behind the running initializer
    d.resolve('late');
    expect(await second).toEqual({ status: 'already-initialized', value: 'late' });
    expect(ran).toBe(false);
  });

  test('with the value there and nobody queued, a call answers at once and in order with earlier calls', async () => {
    const lazy = new LazyInit<number>();
    expect(await lazy.init(() => 1)).toEqual({ status: 'initialized', value: 1 });
    let ran = false;
    const order: string[] = [];
    const quick = lazy.init(() => ((ran = true), 2));
    expect(quick).toBeInstanceOf(Promise);
    expect(await settled(quick)).toBe(true);
    expect(await quick).toEqual({ status: 'already-initialized', value: 1 });
    expect(ran).toBe(false);

    // A queued reset keeps later calls behind it, so they see its outcome.
    const reset = lazy.reset().then((had) => order.push(`reset ${had}`));
    const after = lazy.init(() => 3).then((r) => order.push(`${r.status} ${r.status === 'failed' ? '' : r.value}`));
    await Promise.all([reset, after]);
    expect(order).toEqual(['reset true', 'initialized 3']);

    // A call made while earlier ones wait for their turn waits too, and settles after them.
    order.length = 0;
    const d = deferred<void>();
    const slowReset = lazy.reset().then(() => order.push('reset'));
    const first = lazy.init(async () => (await d.promise, 4)).then((r) => order.push(r.status));
    const second = lazy.init(() => 5).then((r) => order.push(r.status));
    d.resolve();
    await Promise.all([slowReset, first, second]);
    expect(order).toEqual(['reset', 'initialized', 'already-initialized']);
    const last = lazy.init(() => 6).then((r) => order.push(`last ${r.status}`));
    await last;
    expect(order.at(-1)).toBe('last already-initialized');

    await expect(lazy.init(() => 7, { signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
  });

  test('an already aborted signal rejects at once', async () => {
    const lazy = new LazyInit<number>();
    const reason = new Error('before');
    await expect(lazy.init(() => 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(lazy.state).toBe('empty');
  });

  test('reset() waits for its turn, drops the value and says whether there was one', async () => {
    const lazy = new LazyInit<number>();
    expect(await lazy.reset()).toBe(false);
    const d = deferred<number>();
    const first = lazy.init(() => d.promise);
    const reset = lazy.reset();
    const after = lazy.init(() => 2);
    await tick();
    expect(await settled(reset)).toBe(false);
    d.resolve(1);
    expect(await first).toEqual({ status: 'initialized', value: 1 });
    expect(await reset).toBe(true);
    expect(await after).toEqual({ status: 'initialized', value: 2 });
  });

  test('wait() resolves on the first stored value, across failures', async () => {
    const lazy = new LazyInit<string>();
    const waiting = lazy.wait();
    await lazy.init(() => Promise.reject(new Error('no')));
    expect(await settled(waiting)).toBe(false);
    await lazy.init(async () => 'yes');
    expect(await waiting).toBe('yes');
    expect(await lazy.wait()).toBe('yes');
  });

  test('wait() honours its signal', async () => {
    const lazy = new LazyInit<string>();
    const c = new AbortController();
    const waiting = lazy.wait({ signal: c.signal });
    c.abort(new Error('enough'));
    await expect(waiting).rejects.toThrow('enough');
  });

  test('bad arguments are TypeErrors', () => {
    const lazy = new LazyInit<number>();
    expect(() => lazy.init(undefined as never)).toThrow('Expected `initializer` to be a function.');
    expect(() => lazy.init(() => 1, { signal: true as never })).toThrow(TypeError);
    expect(() => new LazyInit({ name: 5 as never })).toThrow(TypeError);
  });
});

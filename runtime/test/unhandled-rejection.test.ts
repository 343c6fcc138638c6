import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scratch } from './bundle.js';

const run = promisify(execFile);

/**
 * Scenarios where the runtime settles promises nobody asked for: attempts whose callers all left, detached
 * attempts, cached failures, skipped queue turns. Every promise handed to the script is observed, as a careful
 * caller would; any other rejected promise would be the runtime's own, and `--unhandled-rejections=strict` turns it
 * into a crash. A listener also records it, in case strict mode is ever relaxed.
 */
const scenarios = `
import { LazyCell, LazyInit, LazyLock, OnceCell, OnceLock } from './runtime.mjs';

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));
const later = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));
const failing = (ms = 2) => () => later(ms).then(() => { throw new Error('initializer failed'); });
const observe = (promise) => promise.then(() => 'resolved', () => 'rejected');

// Every waiter of a failing attempt aborts before it fails.
{
  const lock = new OnceLock();
  const controllers = [new AbortController(), new AbortController()];
  const waits = controllers.map((c) => observe(lock.getOrInit(failing(), { signal: c.signal })));
  controllers.forEach((c) => c.abort(new Error('caller left')));
  await Promise.all(waits);
  await later(10);
}
// The same under failure: 'cache', and a LazyLock.
{
  const lock = new OnceLock({ failure: 'cache' });
  const c = new AbortController();
  await observe(lock.getOrInit(failing(), { signal: c.signal }).finally(() => {}));
  c.abort();
  const lazy = new LazyLock(failing());
  const c2 = new AbortController();
  const w = observe(lazy.force({ signal: c2.signal }));
  c2.abort();
  await w;
  await later(10);
}
// A cached failure nobody asks for again; a failure replayed to wait().
{
  const lock = new OnceLock({ failure: 'cache' });
  await observe(lock.getOrInit(failing(1)));
  await observe(lock.wait());
  await later(5);
}
// take() and reset() detach attempts that later fail.
{
  const lock = new OnceLock();
  const first = observe(lock.getOrInit(failing()));
  lock.take();
  const second = observe(lock.getOrInit(failing()));
  const reset = lock.reset();
  await Promise.all([first, second, reset]);
  await later(10);
}
// A LazyLock disposed while its attempt fails.
{
  const lazy = new LazyLock(failing());
  const pending = observe(lazy.force());
  await lazy[Symbol.asyncDispose]();
  await pending;
  await observe(lazy.force());
}
// A late caller joins an abandoned attempt that fails; it retries with its own initializer.
{
  const lock = new OnceLock();
  const c = new AbortController();
  const left = observe(lock.getOrInit(failing(), { signal: c.signal }));
  c.abort();
  const joined = lock.getOrInit(failing(1));
  await Promise.all([left, observe(joined)]);
  await later(10);
}
// wait() callers that abort, and ones still waiting when a lock is reset.
{
  const lock = new OnceLock();
  const c = new AbortController();
  const waits = [observe(lock.wait({ signal: c.signal }))];
  c.abort();
  lock.wait();
  await observe(lock.getOrInit(failing(1)));
  await lock.reset();
  await Promise.all(waits);
}
// LazyInit: failures are values, aborted turns are skipped, aborted running calls keep the queue waiting.
{
  const lazy = new LazyInit();
  const c1 = new AbortController();
  const c2 = new AbortController();
  const results = [
    observe(lazy.init(failing(3), { signal: c1.signal })),
    observe(lazy.init(failing(1), { signal: c2.signal })),
    observe(lazy.init(failing(1))),
    observe(lazy.reset()),
  ];
  c2.abort();
  await later(1);
  c1.abort();
  await Promise.all(results);
  await later(10);
  const c3 = new AbortController();
  const waiting = observe(lazy.wait({ signal: c3.signal }));
  c3.abort();
  await waiting;
}
// Reentrancy rejections are handed to the initializer that asked.
{
  const lock = new OnceLock({ name: 'self' });
  await observe(lock.getOrInit(async () => { await later(1); return lock.getOrInit(() => 1); }));
  const lazy = new LazyInit({ name: 'self' });
  await lazy.init(async () => { await later(1); return (await lazy.init(() => 1)).status; });
}
// Sync cells throwing and disposed lazy types.
{
  const cell = new OnceCell();
  try { cell.getOrInit(() => { throw new Error('sync'); }); } catch {}
  const lazy = new LazyCell(() => 1);
  lazy[Symbol.dispose]();
  try { lazy.value; } catch {}
}

await later(50);
console.log(JSON.stringify({ unhandled }));
`;

const control = `
Promise.reject(new Error('nobody catches this'));
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(JSON.stringify({ unhandled: [] }));
`;

describe('no floating promises', () => {
  let env: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    env = await scratch({ 'scenarios.mjs': scenarios, 'control.mjs': control });
  });
  afterAll(() => env.dispose());

  // Reentrancy across `await` is detected with the opt-in on every Node version, so its rejections are exercised too.
  const node = (script: string) =>
    run(process.execPath, ['--unhandled-rejections=strict', path.join(env.dir, script)], {
      encoding: 'utf8',
      env: { ...process.env, LAZY_INIT_ASYNC_REENTRANCY: '1' },
    });

  test('abort, failure, take, reset and dispose scenarios leave no unhandled rejection', async () => {
    const { stdout } = await node('scenarios.mjs');
    expect(JSON.parse(stdout)).toEqual({ unhandled: [] });
  });

  test('the harness does catch an unhandled rejection', async () => {
    await expect(node('control.mjs')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('nobody catches this') });
  });
});

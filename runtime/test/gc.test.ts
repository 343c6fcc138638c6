import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scratch } from './bundle.js';

/**
 * Runs in `node --expose-gc`: each cell gets an initializer closing over an object that nothing else references,
 * and a `WeakRef` watches that object. Once the cells are ready and the heap is collected, the objects must be gone
 * while the cells themselves (and their values) are still alive. A control holder that keeps its function shows
 * that the probe does detect a retained initializer.
 */
const script = `
import { LazyCell, LazyInit, LazyLock, OnceCell, OnceLock } from './runtime.mjs';

const refs = {};
const keep = [];
const captured = (name) => {
  const object = { name, payload: new Array(1000).fill(name) };
  refs[name] = new WeakRef(object);
  return object;
};

{
  const c = captured('LazyCell');
  const cell = new LazyCell(() => c.name.length);
  cell.value;
  keep.push(cell);
}
{
  const c = captured('OnceCell');
  const cell = new OnceCell();
  cell.getOrInit(() => c.name.length);
  keep.push(cell);
}
{
  const c = captured('OnceLock');
  const lock = new OnceLock();
  await lock.getOrInit(async () => c.name.length);
  keep.push(lock);
}
{
  const c = captured('LazyLock');
  const lock = new LazyLock(async () => c.name.length);
  await Promise.all([lock.force(), lock.force(), lock.wait()]);
  keep.push(lock);
}
{
  const c = captured('LazyLock after abandoned callers');
  let release;
  const lock = new LazyLock(() => new Promise((resolve) => (release = () => resolve(c.name.length))));
  const controller = new AbortController();
  const abandoned = lock.force({ signal: controller.signal }).catch(() => 'aborted');
  controller.abort();
  await abandoned;
  release();
  await lock.wait();
  keep.push(lock);
}
{
  const c = captured('LazyInit');
  const lazy = new LazyInit();
  await lazy.init(async () => c.name.length);
  await lazy.init(async () => c.name.length + 1);
  keep.push(lazy);
}
{
  const c = captured('control');
  keep.push({ initializer: () => c.name.length });
}

for (let i = 0; i < 6; i++) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  globalThis.gc();
}
const alive = Object.fromEntries(Object.entries(refs).map(([name, ref]) => [name, ref.deref() !== undefined]));
const ready = keep.filter((cell) => typeof cell.isInitialized === 'function').map((cell) => cell.isInitialized());
console.log(JSON.stringify({ alive, ready }));
`;

describe('initializer release', () => {
  let env: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    env = await scratch({ 'gc-probe.mjs': script });
  });
  afterAll(() => env.dispose());

  test('a ready cell keeps nothing its initializer captured', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', path.join(env.dir, 'gc-probe.mjs')], { encoding: 'utf8' });
    const { alive, ready } = JSON.parse(out) as { alive: Record<string, boolean>; ready: boolean[] };
    expect(ready).toEqual([true, true, true, true, true, true]);
    expect(alive).toEqual({
      LazyCell: false,
      OnceCell: false,
      OnceLock: false,
      LazyLock: false,
      'LazyLock after abandoned callers': false,
      LazyInit: false,
      control: true,
    });
  });
});

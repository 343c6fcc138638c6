/**
 * Where async reentrancy detection would tax every `await` in the process (an `AsyncLocalStorage` built on promise
 * hooks, as on Node 20 and 22), the runtime creates no async context unless asked to; where the context is free
 * (AsyncContextFrame, as on Node 24) it uses it by default. Each scenario runs in a fresh process, since the decision
 * is made once per process, and counts the `AsyncLocalStorage` instances the runtime creates.
 */
import { execFile } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scratch } from './bundle.js';

const run = promisify(execFile);

const probe = `
const created = [];
const builtin = process.getBuiltinModule;
process.getBuiltinModule = (id) => {
  const module = builtin(id);
  if (id !== 'node:async_hooks') return module;
  class CountedStorage extends module.AsyncLocalStorage { constructor() { super(); created.push(1); } }
  return { ...module, AsyncLocalStorage: CountedStorage };
};
const { OnceCell, OnceLock, ReentrantInitError, enableAsyncReentrancyDetection } = await import('./runtime.mjs');
if (process.argv[2] === 'function') enableAsyncReentrancyDetection();

const cell = new OnceCell();
let sync;
try { cell.getOrInit(() => cell.getOrInit(() => 1)); } catch (error) { sync = error instanceof ReentrantInitError; }

const early = new OnceLock();
const beforeAwait = await early.getOrInit(() => early.getOrInit(() => 1)).then(() => 'completed', (error) => error.name);

const late = new OnceLock();
const afterAwait = await Promise.race([
  late.getOrInit(async () => { await null; return late.getOrInit(() => 1); }).then(() => 'completed', (error) => error.name),
  new Promise((resolve) => setTimeout(resolve, 200, 'waits for itself')),
]);
process.stdout.write(JSON.stringify({ created: created.length, sync, beforeAwait, afterAwait }));
`;

/** The `AsyncLocalStorage` of this process runs on AsyncContextFrame, so it costs other code nothing. */
const free = !('_enable' in AsyncLocalStorage.prototype);

describe(`async context on Node ${process.versions.node} (${free ? 'AsyncContextFrame' : 'promise hooks'})`, () => {
  let env: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    env = await scratch({ 'probe.mjs': probe });
  });
  afterAll(() => env.dispose());

  const probeWith = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    if (!('LAZY_INIT_ASYNC_REENTRANCY' in extraEnv)) delete childEnv.LAZY_INIT_ASYNC_REENTRANCY;
    const { stdout } = await run(process.execPath, [path.join(env.dir, 'probe.mjs'), ...args], { encoding: 'utf8', env: childEnv });
    return JSON.parse(stdout) as { created: number; sync: boolean; beforeAwait: string; afterAwait: string };
  };

  test('by default: synchronous reentrancy is detected everywhere; an async context only where it is free', async () => {
    expect(await probeWith([])).toEqual({
      created: free ? 1 : 0,
      sync: true,
      beforeAwait: 'ReentrantInitError',
      afterAwait: free ? 'ReentrantInitError' : 'waits for itself',
    });
  });

  test('LAZY_INIT_ASYNC_REENTRANCY=1 turns on detection across `await`', async () => {
    expect(await probeWith([], { LAZY_INIT_ASYNC_REENTRANCY: '1' })).toEqual({
      created: 1,
      sync: true,
      beforeAwait: 'ReentrantInitError',
      afterAwait: 'ReentrantInitError',
    });
  });

  test('enableAsyncReentrancyDetection() turns it on too, creating one context', async () => {
    expect(await probeWith(['function'])).toEqual({
      created: 1,
      sync: true,
      beforeAwait: 'ReentrantInitError',
      afterAwait: 'ReentrantInitError',
    });
  });
});

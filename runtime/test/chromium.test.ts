/**
 * The built runtime, bundled as it ships to browsers, loaded as an ES module by a real headless Chromium from a
 * loopback server, and exercised there: what depends on the platform (no `process`, no `util.inspect`, no
 * `AsyncLocalStorage`, the browser's own `AbortController` and `Symbol.dispose`) is the browser's, not Node's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInChromium } from '../../test/lib/chromium.js';

const runtimeRoot = fileURLToPath(new URL('..', import.meta.url));
const builtEntry = path.join(runtimeRoot, 'dist/index.js');

let server: Server | undefined;
let origin = '';

beforeAll(async () => {
  // `npm test` builds first; a focused run may not have.
  if (!existsSync(builtEntry)) execFileSync('npx', ['tsc', '-b', runtimeRoot], { stdio: 'inherit' });
  const bundled = await build({
    entryPoints: [builtEntry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><title>runtime</title><script type="module">import * as R from "/runtime.js"; window.R = R; window.ready = true;</script>'],
    '/runtime.js': ['text/javascript', bundled.outputFiles[0]!.text],
  };
  server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, { 'content-type': file ? file[0] : 'text/plain' });
    response.end(file ? file[1] : 'not found');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describeInChromium('the runtime in headless Chromium', (page) => {
  beforeAll(async () => {
    const errors: string[] = [];
    page().on('pageerror', (error) => errors.push(error.message));
    await page().goto(`${origin}/`);
    await page().waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  /** Runs a script in the page, where `R` is the runtime module, and returns its JSON-serialisable result. */
  const inPage = <T>(body: string): Promise<T> =>
    page().evaluate(`(async () => { const R = window.R; ${body} })()`) as Promise<T>;

  test('is a browser: no `process`, no Node built-ins, and the runtime loaded', async () => {
    expect(await page().evaluate(() => navigator.userAgent)).toMatch(/HeadlessChrome|Chrome/);
    expect(await inPage<string>('return typeof process;')).toBe('undefined');
    expect(await inPage<string[]>('return Object.keys(R).sort();')).toEqual(
      expect.arrayContaining(['LazyCell', 'LazyInit', 'LazyLock', 'OnceCell', 'OnceLock', 'ReentrantInitError']),
    );
  });

  test('synchronous reentrancy is a ReentrantInitError naming the cycle', async () => {
    const result = await inPage<{ name: string; instance: boolean; cycle: string[]; lazyCycle: string[]; stateAfter: string }>(`
      const a = new R.OnceCell({ name: 'a' });
      let error;
      try { a.getOrInit(() => a.getOrInit(() => 1)); } catch (e) { error = e; }
      const b = new R.LazyCell(() => c.value + 1, { name: 'b' });
      const c = new R.LazyCell(() => b.value + 1, { name: 'c' });
      let lazyError;
      try { b.value; } catch (e) { lazyError = e; }
      return { name: error.name, instance: error instanceof R.ReentrantInitError, cycle: error.cycle,
               lazyCycle: lazyError.cycle, stateAfter: a.state };
    `);
    expect(result).toEqual({ name: 'ReentrantInitError', instance: true, cycle: ['a', 'a'], lazyCycle: ['b', 'c', 'b'], stateAfter: 'empty' });
  });

  test('a reentrant call in the synchronous part of an async initializer is reported, one after `await` joins', async () => {
    const result = await inPage<{ sync: unknown; joined: string; outer: string }>(`
      const lock = new R.OnceLock({ name: 'l' });
      const sync = await lock.getOrInit(() => lock.getOrInit(() => 1)).then(() => 'resolved', (e) => ({ name: e.name, cycle: e.cycle }));
      const later = new R.OnceLock({ name: 'x' });
      let inner;
      const outer = await later.getOrInit(async () => { await null; inner = later.getOrInit(() => 'never runs'); return 'outer'; });
      return { sync, joined: await inner, outer };
    `);
    expect(result).toEqual({ sync: { name: 'ReentrantInitError', cycle: ['l', 'l'] }, joined: 'outer', outer: 'outer' });
  });

  test('concurrent async callers share one initialization; a failure is not cached', async () => {
    const result = await inPage<{ values: number[]; calls: number; lazyCalls: number; retried: unknown[] }>(`
      let calls = 0;
      const lock = new R.OnceLock();
      const values = await Promise.all([1, 2, 3].map((n) => lock.getOrInit(async () => { calls++; await new Promise((r) => setTimeout(r, 5)); return n; })));
      let lazyCalls = 0;
      const lazy = new R.LazyLock(async () => { lazyCalls++; return 'v'; });
      await Promise.all([lazy.force(), lazy.force(), lazy.force()]);
      let attempts = 0;
      const flaky = new R.LazyLock(async () => { if (++attempts === 1) throw new Error('first fails'); return attempts; });
      const first = await flaky.force().catch((e) => e.message);
      return { values, calls, lazyCalls, retried: [first, await flaky.force()] };
    `);
    expect(result).toEqual({ values: [1, 1, 1], calls: 1, lazyCalls: 1, retried: ['first fails', 2] });
  });

  test("an aborted caller stops waiting; the initializer's signal aborts once nobody waits", async () => {
    const result = await inPage<{ hurried: string; patient: string; alone: { error: string; aborted: boolean; name: string } }>(`
      const slow = new R.OnceLock();
      let finish;
      const patient = slow.getOrInit(() => new Promise((resolve) => (finish = resolve)));
      const impatient = new AbortController();
      const hurried = slow.getOrInit(() => 'never called', { signal: impatient.signal });
      impatient.abort(new Error('gave up'));
      const hurriedResult = await hurried.then(() => 'resolved', (e) => e.message);
      finish('done');

      const lonely = new R.OnceLock();
      const controller = new AbortController();
      let seen;
      const waiting = lonely.getOrInit((signal) => new Promise((_, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(signal.reason));
      }), { signal: controller.signal });
      controller.abort(new DOMException('stop', 'AbortError'));
      const error = await waiting.then(() => 'resolved', (e) => e.message);
      await new Promise((r) => setTimeout(r, 0));
      return { hurried: hurriedResult, patient: await patient,
               alone: { error, aborted: seen instanceof AbortSignal && seen.aborted, name: seen.reason.name } };
    `);
    expect(result).toEqual({ hurried: 'gave up', patient: 'done', alone: { error: 'stop', aborted: true, name: 'AbortError' } });
  });

  test('cells dispose what they hold, through `Symbol.dispose` / `Symbol.asyncDispose`', async () => {
    const result = await inPage<{ sync: number; lazy: number; resetDisposed: boolean; asyncClosed: boolean; state: string }>(`
      let sync = 0;
      const cell = new R.OnceCell();
      cell.getOrInit(() => ({ [Symbol.dispose]() { sync++; } }));
      cell[Symbol.dispose]();
      let lazy = 0;
      const handle = new R.LazyCell(() => ({ [Symbol.dispose]() { lazy++; } }));
      handle.value;
      handle[Symbol.dispose]();
      const pool = new R.LazyInit({ name: 'pool' });
      let asyncClosed = false;
      await pool.init(async () => ({ async [Symbol.asyncDispose]() { asyncClosed = true; } }));
      const resetDisposed = await pool.reset();
      return { sync, lazy, resetDisposed, asyncClosed, state: pool.state };
    `);
    expect(result).toEqual({ sync: 1, lazy: 1, resetDisposed: true, asyncClosed: true, state: 'empty' });
  });

  test('`toString` describes each cell without `util.inspect`', async () => {
    const result = await inPage<string[]>(`
      const ready = new R.LazyCell(() => 42, { name: 'answer' });
      ready.value;
      return [String(ready), String(new R.OnceLock({ name: 'db' })), \`\${new R.LazyCell(function config() { return 1; })}\`,
              String(new R.OnceCell()), typeof globalThis.require];
    `);
    expect(result).toEqual(['LazyCell(answer) <ready>', 'OnceLock(db) <empty>', 'LazyCell(config) <empty>', 'OnceCell <empty>', 'undefined']);
  });
});

/**
 * `--interactive` in a real pseudo-terminal: the built command line is started in a pty, the test waits for each
 * question and answers with one key, as a person would, and checks what ends up on disk and the exit code.
 */
import pty from 'node-pty';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneSlot, readIn, reviewProject, TWO_SLOTS } from '../review-project.js';
import { BUILD_TIMEOUT, cliPath, ensureBuilt } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

const plain = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

interface Session {
  /** Waits for the `n`th question (1-based) to be on screen, then presses `key`. */
  answer(n: number, key: string): Promise<void>;
  /** Resolves with the exit code and everything the terminal showed, escape sequences removed. */
  readonly exit: Promise<{ code: number; screen: string }>;
}

function start(cwd: string, extra: readonly string[] = []): Session {
  const term = pty.spawn(process.execPath, [cliPath, '--interactive', '--no-type-aware', '--cpus', '1', '--no-add-dependency', ...extra, 'src'], {
    cwd,
    cols: 120,
    rows: 40,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let screen = '';
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  term.onData((data) => {
    screen += data;
    for (const waiter of waiters.splice(0)) {
      if (waiter.test()) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const exit = new Promise<{ code: number; screen: string }>((resolve) => term.onExit(({ exitCode }) => resolve({ code: exitCode, screen: plain(screen) })));
  // Each question counts the questions asked so far, so `N so far)` first appears when question N is asked. (A
  // question's line is drawn again once answered: counting drawn questions would answer the next one too early.)
  const asked = (n: number): boolean => plain(screen).includes(`, ${n} so far)`);
  return {
    exit,
    answer: async (n, key) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Question ${n} never came. The screen:\n${plain(screen)}`)), 20_000);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        if (asked(n)) done();
        else waiters.push({ test: () => asked(n), resolve: done });
      });
      term.write(key);
    },
  };
}

describe('--interactive in a terminal', () => {
  it('writes the accepted rewrites, leaves the declined ones, and stops at q', async () => {
    const cwd = reviewProject();
    const session = start(cwd);
    await session.answer(1, 'n'); // a.ts: db
    await session.answer(2, 'y'); // a.ts: cache
    await session.answer(3, 'q'); // b.ts: pool
    const { code, screen } = await session.exit;

    expect(code).toBe(0);
    expect(screen).toContain('src/a.ts:2:33  module-lazy-slot  `db`');
    expect(screen).toContain('+const db = new LazyCell<Db>(() => new Db());');
    expect(screen).toContain('(1 of 2 in this file');
    const a = readIn(cwd, 'src/a.ts');
    expect(a).toContain('let db: Db | undefined;');
    expect(a).toContain('const cache = new LazyCell<Cache>(() => new Cache());');
    expect(readIn(cwd, 'src/b.ts')).toBe(oneSlot('pool'));
    expect(readIn(cwd, 'src/c.ts')).toBe(oneSlot('conn'));
    expect(screen).toMatch(/skipped \(not-selected\)\s+module-lazy-slot\s+`db`/);
    expect(screen).toContain('Stopped at review: 1 of 3 files were not offered.');
  }, 60_000);

  it('takes the rest of a file with a, and asks again in the next file', async () => {
    const cwd = reviewProject();
    const session = start(cwd);
    await session.answer(1, 'a'); // a.ts: both
    await session.answer(2, 'y'); // b.ts
    await session.answer(3, 'n'); // c.ts
    const { code, screen } = await session.exit;

    expect(code).toBe(0);
    expect(readIn(cwd, 'src/a.ts')).toContain('const db = new LazyCell<Db>');
    expect(readIn(cwd, 'src/a.ts')).toContain('const cache = new LazyCell<Cache>');
    expect(readIn(cwd, 'src/b.ts')).toContain('const pool = new LazyCell<Pool>');
    expect(readIn(cwd, 'src/c.ts')).toBe(oneSlot('conn'));
    expect(screen).not.toContain('Stopped at review');
  }, 60_000);

  it('leaves the file under review untouched on Ctrl-C and exits 130', async () => {
    const cwd = reviewProject();
    const session = start(cwd);
    await session.answer(1, 'y'); // a.ts: db
    await session.answer(2, '\u0003'); // Ctrl-C at a.ts: cache
    const { code, screen } = await session.exit;

    expect(code).toBe(130);
    expect(readIn(cwd, 'src/a.ts')).toBe(TWO_SLOTS);
    expect(readIn(cwd, 'src/b.ts')).toBe(oneSlot('pool'));
    expect(screen).toContain('Interrupted');
  }, 60_000);
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LazyInit, LazyLock, OnceLock } from '../src/index.js';
import { tick } from './helpers.js';

/**
 * Random interleavings (fast-check's scheduler decides when each operation runs and when each initializer settles)
 * of the async types' operations, checking the invariants their contracts promise.
 */

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

type Op =
  | { readonly kind: 'call'; readonly fail: boolean; readonly honoursAbort: boolean; readonly abortable: boolean }
  | { readonly kind: 'abort'; readonly which: number }
  | { readonly kind: 'take' | 'reset' | 'wait' }
  | { readonly kind: 'set'; readonly value: number };

const call = fc.record({ kind: fc.constant('call' as const), fail: fc.boolean(), honoursAbort: fc.boolean(), abortable: fc.boolean() });
const abort = fc.record({ kind: fc.constant('abort' as const), which: fc.nat(9) });
const ops = (extra: fc.Arbitrary<Op>[]) => fc.array(fc.oneof(call, call, abort, ...extra), { minLength: 1, maxLength: 12 });

/** Shared harness: initializers whose settling the scheduler controls, and bookkeeping of what is in flight. */
function harness(s: fc.Scheduler) {
  const violations: string[] = [];
  const controllers: AbortController[] = [];
  const pending = new Set<Promise<unknown>>();
  let nextValue = 0;
  let running = new Set<number>(); // attached initializers in flight
  let detached = new Set<number>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    const observed: Promise<boolean> = p.then(
      () => pending.delete(observed),
      () => pending.delete(observed),
    );
    pending.add(observed);
    return p;
  };

  /** An initializer producing a fresh number (or failing) when the scheduler lets it. */
  const initializer = (op: Extract<Op, { kind: 'call' }>, ran: { value?: number }) => (signal: AbortSignal) => {
    const id = ++nextValue;
    ran.value = id;
    if (running.size > 0) violations.push(`initializer ${id} started while ${[...running].join(', ')} ran`);
    running.add(id);
    const outcome = new Promise<number>((resolve, reject) => {
      if (op.honoursAbort) signal.addEventListener('abort', () => reject(signal.reason));
      void s.schedule(Promise.resolve(), `settle ${id}`).then(() => (op.fail ? reject(new Error(`failure ${id}`)) : resolve(id)));
    });
    const done = () => {
      running.delete(id);
      detached.delete(id);
    };
    outcome.then(done, done);
    return outcome;
  };

  /** Everything running now is detached: it may overlap with the next attempt. */
  const detach = () => {
    detached = new Set([...detached, ...running]);
    running = new Set();
  };

  const signalFor = (op: Extract<Op, { kind: 'call' }>) => {
    if (!op.abortable) return undefined;
    const c = new AbortController();
    controllers.push(c);
    return { signal: c.signal };
  };

  const abortOne = (which: number) => controllers[which % Math.max(1, controllers.length)]?.abort(new Error('caller left'));

  return { violations, pending, initializer, detach, signalFor, abortOne, track };
}

/** Checks that a stored value stays the same until `take`/`reset` (`resetting` says one may be under way). */
function valueWatch(cell: { readonly state: string; get(): unknown }, violations: string[], resetting = () => false) {
  let stored: { value: unknown } | undefined;
  return {
    check(where: string) {
      if (resetting()) stored = undefined;
      else if (cell.state === 'ready') {
        const now = cell.get();
        if (!stored) stored = { value: now };
        else if (stored.value !== now) violations.push(`${where}: value changed from ${stored.value} to ${now}`);
      } else if (stored) violations.push(`${where}: value ${stored.value} vanished (state ${cell.state})`);
    },
    forget() {
      stored = undefined;
    },
  };
}

/** Runs every scheduled task, letting the microtasks each one triggers (and any tasks those schedule) run too. */
const settleAll = async (s: fc.Scheduler, pending: Set<Promise<unknown>>) => {
  for (let i = 0; i < 10 && (i < 2 || pending.size > 0 || s.count() > 0); i++) {
    await s.waitAll();
    await tick();
  }
};

describe('property: random interleavings', () => {
  test('OnceLock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        ops([fc.constant({ kind: 'take' as const }), fc.constant({ kind: 'reset' as const }), fc.constant({ kind: 'wait' as const }), fc.record({ kind: fc.constant('set' as const), value: fc.integer({ min: 1000, max: 2000 }) })]),
        fc.constantFrom<'retry' | 'cache'>('retry', 'cache'),
        async (s, list, failure) => {
          const lock = new OnceLock<number>({ failure });
          const h = harness(s);
          const watch = valueWatch(lock, h.violations);
          const waits: { done: boolean }[] = [];
          list.forEach((op, i) => {
            void s.schedule(Promise.resolve(), `op ${i} ${op.kind}`).then(() => {
              watch.check(`before op ${i}`);
              switch (op.kind) {
                case 'call':
                  h.track(lock.getOrInit(h.initializer(op, {}), h.signalFor(op)));
                  break;
                case 'abort':
                  h.abortOne(op.which);
                  break;
                case 'take':
                case 'reset':
                  if (lock.state === 'initializing') h.detach();
                  if (op.kind === 'take') lock.take();
                  else h.track(lock.reset());
                  watch.forget();
                  break;
                case 'set':
                  lock.set(op.value);
                  break;
                case 'wait': {
                  // Not tracked as pending: a wait may rightly outlive the run when nothing fills the lock.
                  const w = { done: false };
                  waits.push(w);
                  lock.wait().then(
                    () => (w.done = true),
                    () => (w.done = true),
                  );
                  break;
                }
              }
              watch.check(`after op ${i}`);
            });
          });
          await settleAll(s, h.pending);
          watch.check('at the end');
          expect(h.violations).toEqual([]);
          expect(h.pending.size).toBe(0);
          expect(lock.state).not.toBe('initializing');
          if (lock.state !== 'empty') expect(waits.every((w) => w.done)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    expect(unhandled).toEqual([]);
  });

  test('LazyLock', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), ops([]), async (s, list) => {
        const h = harness(s);
        // One initializer for the lock; each run's failure and abort handling follows the op that started it.
        const shapes = list.filter((op): op is Extract<Op, { kind: 'call' }> => op.kind === 'call');
        let runs = 0;
        const lock = new LazyLock<number>((signal) => h.initializer(shapes[runs++ % shapes.length]!, {})(signal));
        const watch = valueWatch(lock, h.violations);
        list.forEach((op, i) => {
          void s.schedule(Promise.resolve(), `op ${i} ${op.kind}`).then(() => {
            watch.check(`before op ${i}`);
            if (op.kind === 'call') h.track(lock.force(h.signalFor(op)));
            else if (op.kind === 'abort') h.abortOne(op.which);
            watch.check(`after op ${i}`);
          });
        });
        await settleAll(s, h.pending);
        watch.check('at the end');
        expect(h.violations).toEqual([]);
        expect(h.pending.size).toBe(0);
        expect(lock.state).not.toBe('initializing');
      }),
      { numRuns: 150 },
    );
    expect(unhandled).toEqual([]);
  });

  test('LazyInit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), ops([fc.constant({ kind: 'reset' as const }), fc.constant({ kind: 'wait' as const })]), async (s, list) => {
        const lazy = new LazyInit<number, Error>();
        const h = harness(s);
        let resets = 0;
        const watch = valueWatch(lazy, h.violations, () => resets > 0);
        list.forEach((op, i) => {
          void s.schedule(Promise.resolve(), `op ${i} ${op.kind}`).then(() => {
            watch.check(`before op ${i}`);
            if (op.kind === 'call') {
              const ran: { value?: number } = {};
              h.track(lazy.init(h.initializer(op, ran), h.signalFor(op))).then(
                (result) => {
                  // `initialized` carries this call's own value; `already-initialized` means its initializer never ran.
                  if (result.status === 'initialized' && result.value !== ran.value) h.violations.push(`op ${i}: initialized with ${result.value}, ran ${ran.value}`);
                  if (result.status === 'already-initialized' && ran.value !== undefined) h.violations.push(`op ${i}: already-initialized but its initializer ran`);
                  if (result.status === 'failed' && (ran.value === undefined || result.error.message !== `failure ${ran.value}`) && !op.honoursAbort)
                    h.violations.push(`op ${i}: failed with ${String(result.error)}`);
                },
                () => {},
              );
            } else if (op.kind === 'abort') h.abortOne(op.which);
            else if (op.kind === 'reset') {
              // Reset takes a turn: the value may go away at any point until it resolves.
              resets++;
              h.track(lazy.reset()).then(
                () => resets--,
                () => resets--,
              );
            } else if (op.kind === 'wait') void lazy.wait().catch(() => {});
            watch.check(`after op ${i}`);
          });
        });
        await settleAll(s, h.pending);
        expect(h.violations).toEqual([]);
        expect(h.pending.size).toBe(0);
        expect(lazy.state).not.toBe('initializing');
      }),
      { numRuns: 150 },
    );
    expect(unhandled).toEqual([]);
  });
});

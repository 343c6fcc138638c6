import { describe, expect, test } from 'vitest';
import { OnceCell, ReentrantInitError } from '../src/index.js';

describe('OnceCell', () => {
  test('starts empty: get() peeks without running anything', () => {
    const cell = new OnceCell<number>();
    expect(cell.state).toBe('empty');
    expect(cell.get()).toBeUndefined();
    expect(cell.isInitialized()).toBe(false);
  });

  test('getOrInit runs the initializer once and caches its value', () => {
    const cell = new OnceCell<object>();
    let runs = 0;
    const first = cell.getOrInit(() => (runs++, {}));
    const second = cell.getOrInit(() => (runs++, {}));
    expect(second).toBe(first);
    expect(runs).toBe(1);
    expect(cell.state).toBe('ready');
    expect(cell.get()).toBe(first);
  });

  test.each([0, '', false, null, Number.NaN, undefined])('caches the falsy value %s', (value) => {
    const cell = new OnceCell<unknown>();
    let runs = 0;
    expect(cell.getOrInit(() => (runs++, value))).toBe(value);
    expect(cell.getOrInit(() => (runs++, 'other'))).toBe(value);
    expect(runs).toBe(1);
    expect(cell.isInitialized()).toBe(true);
    expect(cell.state).toBe('ready');
  });

  test('state is initializing while the initializer runs', () => {
    const cell = new OnceCell<string>();
    expect(cell.getOrInit(() => cell.state)).toBe('initializing');
  });

  test('a throwing initializer leaves the cell empty, propagates, and the next call retries', () => {
    const cell = new OnceCell<number>();
    const boom = new Error('boom');
    expect(() =>
      cell.getOrInit(() => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(cell.state).toBe('empty');
    expect(cell.getOrInit(() => 2)).toBe(2);
  });

  test('set stores only when empty', () => {
    const cell = new OnceCell<number>();
    expect(cell.set(1)).toBe(true);
    expect(cell.set(2)).toBe(false);
    expect(cell.get()).toBe(1);
    expect(cell.getOrInit(() => 3)).toBe(1);
  });

  test('set returns false while the initializer runs, and the initializer wins', () => {
    const cell = new OnceCell<number>();
    let inner: boolean | undefined;
    expect(
      cell.getOrInit(() => {
        inner = cell.set(5);
        return 6;
      }),
    ).toBe(6);
    expect(inner).toBe(false);
    expect(cell.get()).toBe(6);
  });

  test('tryInsert reports inserted, or the current value beside the rejected one', () => {
    const cell = new OnceCell<string>();
    const inserted = cell.tryInsert('a');
    expect(inserted).toEqual({ inserted: true, value: 'a' });
    const rejected = cell.tryInsert('b');
    expect(rejected).toEqual({ inserted: false, value: 'a', rejected: 'b' });
    if (!rejected.inserted) expect(rejected.rejected).toBe('b');
    expect(cell.get()).toBe('a');
  });

  test('tryInsert from inside the initializer is reentrancy', () => {
    const cell = new OnceCell<number>({ name: 'n' });
    expect(() => cell.getOrInit(() => cell.tryInsert(1).value)).toThrow(ReentrantInitError);
    expect(cell.state).toBe('empty');
  });

  test('take hands the value out and empties the cell', () => {
    const cell = new OnceCell<{ id: number }>();
    const value = cell.getOrInit(() => ({ id: 1 }));
    expect(cell.take()).toBe(value);
    expect(cell.state).toBe('empty');
    expect(cell.take()).toBeUndefined();
    expect(cell.getOrInit(() => ({ id: 2 })).id).toBe(2);
  });

  test('take and reset inside the initializer change nothing', () => {
    const cell = new OnceCell<number>();
    let took: unknown = 'unset';
    let reset: unknown;
    cell.getOrInit(() => {
      took = cell.take();
      reset = cell.reset();
      return 1;
    });
    expect(took).toBeUndefined();
    expect(reset).toBe(false);
    expect(cell.get()).toBe(1);
  });

  test('reset says whether the cell was full', () => {
    const cell = new OnceCell<number>();
    expect(cell.reset()).toBe(false);
    cell.set(0);
    expect(cell.reset()).toBe(true);
    expect(cell.state).toBe('empty');
  });

  test('an undefined value is a value: state tells it apart from empty', () => {
    const cell = new OnceCell<undefined>();
    cell.set(undefined);
    expect(cell.get()).toBeUndefined();
    expect(cell.state).toBe('ready');
    expect(cell.tryInsert(undefined)).toEqual({ inserted: false, value: undefined, rejected: undefined });
  });

  test('a non-function initializer is a TypeError', () => {
    const cell = new OnceCell<number>();
    expect(() => cell.getOrInit(42 as never)).toThrow(TypeError);
    expect(() => cell.getOrInit(42 as never)).toThrow('Expected `initializer` to be a function.');
    expect(cell.state).toBe('empty');
  });

  test('bad options are TypeErrors', () => {
    expect(() => new OnceCell('name' as never)).toThrow(TypeError);
    expect(() => new OnceCell(null as never)).toThrow('Expected `options` to be an object.');
    expect(() => new OnceCell({ name: 1 as never })).toThrow('Expected `options.name` to be a string.');
  });
});

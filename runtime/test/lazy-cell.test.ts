import { describe, expect, test } from 'vitest';
import { LazyCell, ReentrantInitError } from '../src/index.js';

describe('LazyCell', () => {
  test('computes on first access to `value` only', () => {
    let runs = 0;
    const cell = new LazyCell(() => (runs++, { n: 1 }));
    expect(runs).toBe(0);
    expect(cell.state).toBe('empty');
    expect(cell.get()).toBeUndefined();
    const value = cell.value;
    expect(cell.value).toBe(value);
    expect(cell.force()).toBe(value);
    expect(cell.get()).toBe(value);
    expect(runs).toBe(1);
    expect(cell.isInitialized()).toBe(true);
    expect(cell.state).toBe('ready');
  });

  test('force() initializes like `value`', () => {
    let runs = 0;
    const cell = new LazyCell(() => ++runs);
    expect(cell.force()).toBe(1);
    expect(cell.value).toBe(1);
    expect(runs).toBe(1);
  });

  test.each([0, '', false, null, Number.NaN, undefined])('caches the falsy value %s', (value) => {
    let runs = 0;
    const cell = new LazyCell<unknown>(() => (runs++, value));
    expect(cell.value).toBe(value);
    expect(cell.value).toBe(value);
    expect(runs).toBe(1);
    expect(cell.state).toBe('ready');
  });

  test('a throwing initializer leaves the cell empty and the next access retries', () => {
    let runs = 0;
    const cell = new LazyCell(() => {
      if (++runs < 3) throw new Error(`attempt ${runs}`);
      return runs;
    });
    expect(() => cell.value).toThrow('attempt 1');
    expect(cell.state).toBe('empty');
    expect(() => cell.force()).toThrow('attempt 2');
    expect(cell.value).toBe(3);
  });

  test('state is initializing while the initializer runs', () => {
    const cell: LazyCell<string> = new LazyCell(() => cell.state);
    expect(cell.value).toBe('initializing');
  });

  test('reading its own value from the initializer is a ReentrantInitError', () => {
    const cell: LazyCell<number> = new LazyCell(function answer() {
      return cell.value + 1;
    });
    let error: unknown;
    try {
      void cell.value;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReentrantInitError);
    expect((error as ReentrantInitError).cycle).toEqual(['answer', 'answer']);
    expect(cell.state).toBe('empty');
  });

  test('a non-function initializer is a TypeError at construction', () => {
    expect(() => new LazyCell(undefined as never)).toThrow(TypeError);
    expect(() => new LazyCell('x' as never)).toThrow('Expected `initializer` to be a function.');
  });

  test('bad options are TypeErrors', () => {
    expect(() => new LazyCell(() => 1, 3 as never)).toThrow(TypeError);
    expect(() => new LazyCell(() => 1, { name: {} as never })).toThrow('Expected `options.name` to be a string.');
  });
});

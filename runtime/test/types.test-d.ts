import { describe, expectTypeOf, test } from 'vitest';
import {
  LazyCell,
  LazyInit,
  LazyLock,
  OnceCell,
  OnceLock,
  ReentrantInitError,
  type InitResult,
  type InitState,
  type LockState,
  type TryInsertResult,
} from '../src/index.js';

describe('inference', () => {
  test('LazyCell infers its value type from the initializer', () => {
    const cell = new LazyCell(() => 92);
    expectTypeOf(cell).toEqualTypeOf<LazyCell<number>>();
    expectTypeOf(cell.value).toEqualTypeOf<number>();
    expectTypeOf(cell.force()).toEqualTypeOf<number>();
    expectTypeOf(cell.get()).toEqualTypeOf<number | undefined>();
    expectTypeOf(cell.state).toEqualTypeOf<InitState>();
  });

  test('LazyLock unwraps an async initializer', () => {
    const lock = new LazyLock(async () => ({ port: 8080 }));
    expectTypeOf(lock).toEqualTypeOf<LazyLock<{ port: number }>>();
    expectTypeOf(lock.force()).toEqualTypeOf<Promise<{ port: number }>>();
    expectTypeOf(new LazyLock(() => 'sync')).toEqualTypeOf<LazyLock<string>>();
    expectTypeOf(lock.state).toEqualTypeOf<LockState>();
  });

  test('OnceLock takes sync or async initializers for its type', () => {
    const lock = new OnceLock<number>();
    expectTypeOf(lock.getOrInit(async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(lock.getOrInit(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(lock.getOrInit((signal) => fetchNumber(signal))).toEqualTypeOf<Promise<number>>();
    expectTypeOf(lock.take()).toEqualTypeOf<number | undefined>();
    expectTypeOf(lock.reset()).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(lock.wait()).toEqualTypeOf<Promise<number>>();
  });

  test('OnceCell', () => {
    const cell = new OnceCell<string>();
    expectTypeOf(cell.getOrInit(() => 'x')).toEqualTypeOf<string>();
    expectTypeOf(cell.reset()).toEqualTypeOf<boolean>();
    expectTypeOf(cell.state).toEqualTypeOf<'empty' | 'initializing' | 'ready'>();
  });
});

describe('narrowing', () => {
  test('InitResult narrows on status', async () => {
    const lazy = new LazyInit<number, RangeError>();
    const result = await lazy.init(async () => 1);
    expectTypeOf(result).toEqualTypeOf<InitResult<number, RangeError>>();
    if (result.status === 'failed') {
      expectTypeOf(result.error).toEqualTypeOf<RangeError>();
      // @ts-expect-error: a failed result has no value
      void result.value;
    } else {
      expectTypeOf(result.status).toEqualTypeOf<'initialized' | 'already-initialized'>();
      expectTypeOf(result.value).toEqualTypeOf<number>();
      // @ts-expect-error: a successful result has no error
      void result.error;
    }
    expectTypeOf(lazy.state).toEqualTypeOf<InitState>();
  });

  test('tryInsert results narrow on inserted', () => {
    const cell = new OnceCell<number>();
    const result = cell.tryInsert(1);
    expectTypeOf(result).toEqualTypeOf<TryInsertResult<number>>();
    if (result.inserted) {
      expectTypeOf(result.value).toEqualTypeOf<number>();
      // @ts-expect-error: nothing was rejected
      void result.rejected;
    } else {
      expectTypeOf(result.rejected).toEqualTypeOf<number>();
    }
    expectTypeOf(new OnceLock<string>().tryInsert('a')).toEqualTypeOf<TryInsertResult<string>>();
  });

  test('ReentrantInitError exposes a read-only cycle', () => {
    const error = new ReentrantInitError(['a', 'b', 'a']);
    expectTypeOf(error.cycle).toEqualTypeOf<readonly string[]>();
    expectTypeOf(error).toMatchTypeOf<Error>();
    // @ts-expect-error: the cycle cannot be changed
    error.cycle.push('c');
  });
});

describe('misuse does not compile', () => {
  test('wrong value types', () => {
    const cell = new OnceCell<number>();
    // @ts-expect-error: a string is not a number
    cell.set('1');
    // @ts-expect-error: the initializer must produce the cell's type
    cell.getOrInit(() => 'x');
    const lock = new OnceLock<number>();
    // @ts-expect-error: a string is not a number
    lock.set('1');
    // @ts-expect-error: the initializer must resolve to the lock's type
    void lock.getOrInit(async () => 'x');
    // @ts-expect-error: OnceCell initializers are synchronous
    new OnceCell<number>().getOrInit(async () => 1);
  });

  test('non-function initializers', () => {
    // @ts-expect-error: not a function
    new LazyCell(42);
    // @ts-expect-error: not a function
    new LazyLock(Promise.resolve(1));
    // @ts-expect-error: not a function
    new OnceCell<number>().getOrInit(1);
    // @ts-expect-error: not a function
    void new LazyInit<number>().init(1);
  });

  test('LazyLock and LazyCell cannot be reset or written', () => {
    const lock = new LazyLock(async () => 1);
    // @ts-expect-error: LazyLock has no reset
    void lock.reset();
    // @ts-expect-error: LazyLock has no take
    lock.take();
    // @ts-expect-error: LazyLock has no set
    lock.set(1);
    // @ts-expect-error: LazyLock has no getOrInit
    void lock.getOrInit(async () => 2);
    // @ts-expect-error: LazyInit has no take
    new LazyInit<number>().take();
    const cell = new LazyCell(() => 1);
    // @ts-expect-error: LazyCell has no reset
    cell.reset();
    // @ts-expect-error: value is read-only
    cell.value = 2;
  });

  test('bad options', () => {
    // @ts-expect-error: names are strings
    new OnceCell({ name: 1 });
    // @ts-expect-error: failure is 'retry' or 'cache'
    new OnceLock({ failure: 'always' });
    // @ts-expect-error: LazyInit never caches failures
    new LazyInit({ failure: 'cache' });
    // @ts-expect-error: the signal is an AbortSignal
    void new OnceLock<number>().getOrInit(() => 1, { signal: true });
    // @ts-expect-error: state is read-only
    new OnceCell().state = 'ready';
  });
});

declare function fetchNumber(signal: AbortSignal): Promise<number>;

import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { LazyCell, LazyInit, LazyLock, OnceCell, OnceLock } from '../src/index.js';
import { deferred } from './helpers.js';

describe('names in toString() and util.inspect', () => {
  test('OnceCell: Kind(name) <state>, and Kind <state> when unnamed', () => {
    const cell = new OnceCell<number>({ name: 'port' });
    expect(String(cell)).toBe('OnceCell(port) <empty>');
    expect(cell.getOrInit(() => (String(cell) === 'OnceCell(port) <initializing>' ? 1 : 0))).toBe(1);
    expect(`${cell}`).toBe('OnceCell(port) <ready>');
    expect(inspect(cell)).toBe('OnceCell(port) <ready>');
    expect(String(new OnceCell())).toBe('OnceCell <empty>');
  });

  test('LazyCell defaults its name to the initializer function name', () => {
    const cell = new LazyCell(function loadConfig() {
      return { secret: 'hunter2' };
    });
    expect(String(cell)).toBe('LazyCell(loadConfig) <empty>');
    void cell.value;
    expect(inspect(cell)).toBe('LazyCell(loadConfig) <ready>');
    expect(inspect(cell)).not.toContain('hunter2');
    const arrow = () => 1;
    expect(String(new LazyCell(arrow))).toBe('LazyCell(arrow) <empty>');
    expect(String(new LazyCell(() => 1))).toBe('LazyCell <empty>');
    expect(String(new LazyCell(arrow, { name: 'explicit' }))).toBe('LazyCell(explicit) <empty>');
  });

  test('OnceLock shows initializing while an attempt runs', async () => {
    const db = new OnceLock<object>({ name: 'db' });
    const d = deferred<object>();
    const p = db.getOrInit(() => d.promise);
    expect(String(db)).toBe('OnceLock(db) <initializing>');
    expect(inspect(db)).toBe('OnceLock(db) <initializing>');
    d.resolve({});
    await p;
    expect(String(db)).toBe('OnceLock(db) <ready>');
  });

  test("OnceLock under failure: 'cache' shows failed", async () => {
    const lock = new OnceLock<number>({ name: 'x', failure: 'cache' });
    await lock.getOrInit(() => Promise.reject(new Error('no'))).catch(() => {});
    expect(String(lock)).toBe('OnceLock(x) <failed>');
  });

  test('LazyLock and LazyInit', async () => {
    const lock = new LazyLock(async function token() {
      return 't';
    });
    expect(String(lock)).toBe('LazyLock(token) <empty>');
    await lock.force();
    expect(inspect(lock)).toBe('LazyLock(token) <ready>');
    const lazy = new LazyInit<number>({ name: 'session' });
    expect(String(lazy)).toBe('LazyInit(session) <empty>');
    expect(inspect({ nested: lazy })).toBe('{ nested: LazyInit(session) <empty> }');
    expect(String(new LazyInit())).toBe('LazyInit <empty>');
  });

  test('names appear in ReentrantInitError cycles and state errors', async () => {
    const cell = new OnceCell<number>({ name: 'n' });
    expect(() => cell.getOrInit(() => cell.getOrInit(() => 1))).toThrow('`n -> n`');
    const lock = new OnceLock<number>({ name: 'busy' });
    const d = deferred<number>();
    const p = lock.getOrInit(() => d.promise);
    expect(() => lock.tryInsert(1)).toThrow('`OnceLock(busy) <initializing>` has no value to compare.');
    d.resolve(1);
    await p;
  });
});

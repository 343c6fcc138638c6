/**
 * The edit layer through the engine: bytes outside a rewritten site stay as they were (line endings, BOM, quotes,
 * semicolons, comments), the runtime import is written in the file's style, merged, or a `require`, the output is
 * stable, and a file that does not parse is left alone.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import { applyEdits, detectEol, detectIndentUnit, editsConflict, OverlappingEditsError, reindent, splitBom } from '../../src/engine/text.js';
import type { FileResult } from '../../src/engine/types.js';
import { parses } from './helpers.js';

const engine = createEngine({ typeAware: false, preserveFailureCaching: false });

const rewrite = (filePath: string, source: string): string => {
  const result = engine.transform(filePath, source);
  if (result.status !== 'ok') throw new Error(result.message);
  if (result.output === undefined) throw new Error(`Nothing was rewritten: ${JSON.stringify(result.sites)}`);
  expect(parses(filePath, result.output)).toBe(true);
  const again = engine.transform(filePath, result.output);
  expect(again).toMatchObject({ status: 'ok', output: undefined });
  return result.output;
};

const lines = (...parts: string[]): string => parts.join('\n') + '\n';

describe('text edits', () => {
  it('applies edits in offset order whatever order they come in', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'E' },
        { start: 0, end: 1, text: 'A' },
        { start: 2, end: 2, text: '+' },
      ]),
    ).toBe('Ab+cdEf');
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, text: '' },
        { start: 2, end: 4, text: '' },
      ]),
    ).toThrow(OverlappingEditsError);
    expect(editsConflict({ start: 1, end: 1, text: 'x' }, { start: 1, end: 1, text: 'y' })).toBe(true);
    expect(editsConflict({ start: 1, end: 1, text: 'x' }, { start: 1, end: 3, text: '' })).toBe(false);
    expect(editsConflict({ start: 2, end: 2, text: 'x' }, { start: 1, end: 3, text: '' })).toBe(true);
  });

  it('reads the file style: line endings, BOM, indentation', () => {
    expect(detectEol('a\r\nb\r\n')).toBe('\r\n');
    expect(detectEol('a\nb')).toBe('\n');
    expect(splitBom('\uFEFFx')).toEqual({ bom: '\uFEFF', text: 'x' });
    expect(detectIndentUnit('a {\n    b;\n        c;\n}\n')).toBe('    ');
    expect(detectIndentUnit('a {\n\tb;\n}\n')).toBe('\t');
    expect(reindent('x\n    y\n      z', '    ', '  ')).toBe('x\n  y\n    z');
  });
});

describe('bytes outside the site', () => {
  it('keeps CRLF line endings and writes new lines with them', () => {
    const source = lines('// Database access.', '', 'let db: Db | undefined;', '', 'export function getDb(): Db {', '  if (!db) {', '    db = new Db();', '  }', '  return db;', '}').replace(/\n/g, '\r\n');
    const output = rewrite('db.ts', source);
    expect(output).not.toMatch(/[^\r]\n/);
    expect(output).toBe(
      lines(
        '// Database access.',
        '',
        "import { LazyCell } from '@lazy-init/runtime';",
        '',
        'const db = new LazyCell<Db>(() => new Db());',
        '',
        'export function getDb(): Db {',
        '  return db.value;',
        '}',
      ).replace(/\n/g, '\r\n'),
    );
  });

  it('keeps a byte order mark', () => {
    const output = rewrite('bom.ts', '\uFEFF' + lines('let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());'));
    expect(output.startsWith('\uFEFF')).toBe(true);
    expect(output.indexOf('\uFEFF', 1)).toBe(-1);
    expect(output).toContain('export const getDb = (): Db => db.value;');
  });

  it('keeps comments, blank lines and other code byte for byte', () => {
    const head = lines('/* eslint-disable no-console */', "import { log } from './log.js';", '', '// The one database.', 'let db: Db | undefined; // filled on first use', '');
    const tail = lines('', '/** Unrelated. */', 'export function other(x: number) {', '    return x  *  2 // odd spacing stays', '}');
    const source = head + lines('export function getDb(): Db {', '  log("db");', '  return (db ??= new Db());', '}') + tail;
    const output = rewrite('db.ts', source);
    expect(output.endsWith(tail)).toBe(true);
    expect(output).toContain("import { log } from './log.js';\nimport { LazyCell } from '@lazy-init/runtime';\n");
    expect(output).toContain('// The one database.\nconst db = new LazyCell<Db>(() => new Db()); // filled on first use\n');
    expect(output).toContain('  log("db");\n  return db.value;\n');
  });

  it('indents moved code like its new neighbours', () => {
    const source = lines(
      'export function createStore(url: string) {',
      '    let conn: Conn | undefined;',
      '    return {',
      '        get(): Conn {',
      '            if (!conn) {',
      '                conn = new Conn(',
      '                    url,',
      '                );',
      '            }',
      '            return conn;',
      '        },',
      '    };',
      '}',
    );
    expect(rewrite('store.ts', source)).toBe(
      lines(
        "import { LazyCell } from '@lazy-init/runtime';",
        '',
        'export function createStore(url: string) {',
        '    const conn = new LazyCell<Conn>(() => new Conn(',
        '        url,',
        '    ));',
        '    return {',
        '        get(): Conn {',
        '            return conn.value;',
        '        },',
        '    };',
        '}',
      ),
    );
  });
});

describe('the runtime import', () => {
  it('uses the file quotes and semicolons', () => {
    const output = rewrite('a.ts', lines('import x from "./x"', 'let db: Db | undefined', 'export function getDb(): Db {', '  db ??= new Db(x)', '  return db', '}'));
    expect(output).toBe(
      lines('import x from "./x"', 'import { LazyCell } from "@lazy-init/runtime"', 'const db = new LazyCell<Db>(() => new Db(x))', 'export function getDb(): Db {', '  return db.value', '}'),
    );
  });

  it('merges into an existing runtime import', () => {
    const output = rewrite('a.ts', lines("import { OnceCell } from '@lazy-init/runtime';", 'export const cell = new OnceCell<number>();', 'let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());'));
    expect(output.match(/@lazy-init\/runtime/g)).toHaveLength(1);
    expect(output).toContain("import { OnceCell, LazyCell } from '@lazy-init/runtime';");
  });

  it('is a require in CommonJS files, after the other requires', () => {
    const output = rewrite('a.cjs', lines("'use strict';", "const path = require('path');", 'let db;', 'function getDb() {', '  if (!db) db = new Db(path.sep);', '  return db;', '}', 'module.exports = { getDb };'));
    expect(output).toBe(
      lines("'use strict';", "const path = require('path');", "const { LazyCell } = require('@lazy-init/runtime');", 'const db = new LazyCell(() => new Db(path.sep));', 'function getDb() {', '  return db.value;', '}', 'module.exports = { getDb };'),
    );
  });

  it('is a require in a .js file that uses require and module.exports, with no type arguments', () => {
    const output = rewrite('a.js', lines('let conn;', 'function getConn(url) {', '  conn ??= connect(url);', '  return conn;', '}', 'module.exports = getConn;'));
    expect(output).toBe(
      lines("const { OnceCell } = require('@lazy-init/runtime');", '', 'const conn = new OnceCell();', 'function getConn(url) {', '  return conn.getOrInit(() => connect(url));', '}', 'module.exports = getConn;'),
    );
  });

  it('goes after a shebang and a directive prologue', () => {
    const output = rewrite('cli.js', lines('#!/usr/bin/env node', "'use strict';", 'let db;', 'export function getDb() {', '  return (db ??= new Db());', '}'));
    expect(output.startsWith(lines('#!/usr/bin/env node', "'use strict';", "import { LazyCell } from '@lazy-init/runtime';"))).toBe(true);
  });

  it('keeps a doc comment with the first statement it documents', () => {
    const output = rewrite('a.ts', lines('// Licensed under MIT.', '', '/** The one database. */', 'let db: Db | undefined;', 'export const getDb = (): Db => (db ??= new Db());'));
    expect(output.startsWith(lines('// Licensed under MIT.', '', "import { LazyCell } from '@lazy-init/runtime';", '', '/** The one database. */') + 'const db')).toBe(true);
  });

  it('guards a statement that now starts with a parenthesis in a file without semicolons', () => {
    const output = rewrite(
      'a.ts',
      lines('let c: Conn | undefined', 'export async function run(): Promise<void> {', '  const started = Date.now()', '  if (!c) c = await connect()', '  c.run(started)', '}'),
    );
    expect(output).toContain('  const started = Date.now()\n  ;(await c.getOrInit(() => connect())).run(started)\n}');
  });

  it('is added once for several sites', () => {
    const output = rewrite('a.ts', lines('let a: A | undefined;', 'let b: B | undefined;', 'export const getA = (): A => (a ??= new A());', 'export const getB = (): B => (b ??= new B());'));
    expect(output.match(/@lazy-init\/runtime/g)).toHaveLength(1);
    expect(output).toContain('const a = new LazyCell<A>(() => new A());\nconst b = new LazyCell<B>(() => new B());');
  });
});

describe('files the engine leaves alone', () => {
  it('reports a file that does not parse and gives no output', () => {
    const result: FileResult = engine.transform('broken.ts', 'let x = ;\nexport function f() {\n');
    expect(result.status).toBe('error');
    if (result.status === 'error') expect(result.message).toMatch(/broken\.ts.*does not parse/);
  });

  it('gives no output for a file without lazy sites', () => {
    expect(engine.transform('plain.ts', 'export const x = 1;\n')).toEqual({ status: 'ok', output: undefined, sites: [] });
  });

  it('rejects bad arguments with TypeError', () => {
    expect(() => createEngine({ typeAware: true, preserveFailureCaching: false })).toThrow(TypeError);
    expect(() => engine.transform(undefined as unknown as string, '')).toThrow(TypeError);
  });
});

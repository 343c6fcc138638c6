import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { analyzeSource, isNeverFalsy, planCellRewrite, runtimeImportEdit, type TextEdit } from '../../src/analysis/index.js';

const apply = (text: string, edits: readonly (TextEdit | undefined)[]): string =>
  [...edits]
    .filter((edit): edit is TextEdit => edit !== undefined)
    .sort((a, b) => b.range[0] - a.range[0])
    .reduce((out, edit) => out.slice(0, edit.range[0]) + edit.text + out.slice(edit.range[1]), text);

const withImport = (text: string, names: Parameters<typeof runtimeImportEdit>[2], jsx = false) => {
  const program = parse(text, { range: true, tokens: true, comment: true, jsx });
  return apply(text, [runtimeImportEdit(program, text, names)]);
};

describe('runtimeImportEdit', () => {
  it('adds an import after the last import, in the file quote and semicolon style', () => {
    expect(withImport(`import a from "a"\nimport b from "b"\n\nrun(a, b)\n`, ['OnceCell'])).toBe(
      `import a from "a"\nimport b from "b"\nimport { OnceCell } from "@lazy-init/runtime"\n\nrun(a, b)\n`,
    );
    expect(withImport(`import a from 'a';\nrun(a);\n`, ['OnceLock', 'LazyCell'])).toBe(
      `import a from 'a';\nimport { LazyCell, OnceLock } from '@lazy-init/runtime';\nrun(a);\n`,
    );
  });

  it('merges into an existing value import and leaves it alone when the names are there', () => {
    expect(withImport(`import { LazyLock } from '@lazy-init/runtime';\n`, ['OnceCell'])).toBe(`import { LazyLock, OnceCell } from '@lazy-init/runtime';\n`);
    const complete = `import { OnceCell } from '@lazy-init/runtime';\n`;
    expect(runtimeImportEdit(parse(complete, { range: true, tokens: true }), complete, ['OnceCell'])).toBeUndefined();
    // A type-only import cannot provide the class at run time: a value import is added.
    expect(withImport(`import type { OnceCell } from '@lazy-init/runtime';\nlet x: OnceCell<number>;\n`, ['OnceCell'])).toBe(
      `import type { OnceCell } from '@lazy-init/runtime';\nimport { OnceCell } from '@lazy-init/runtime';\nlet x: OnceCell<number>;\n`,
    );
  });

  it('writes `require` in CommonJS files, merged into an existing destructuring', () => {
    expect(withImport(`'use strict';\nconst fs = require('node:fs');\nmodule.exports = fs;\n`, ['OnceCell'])).toBe(
      `'use strict';\nconst fs = require('node:fs');\nconst { OnceCell } = require('@lazy-init/runtime');\nmodule.exports = fs;\n`,
    );
    expect(withImport(`const { LazyCell } = require('@lazy-init/runtime');\n`, ['OnceCell'])).toBe(`const { LazyCell, OnceCell } = require('@lazy-init/runtime');\n`);
  });

  it('keeps a shebang and header comments above a new first statement, and CRLF line endings', () => {
    expect(withImport(`#!/usr/bin/env node\n// Licence.\n\nlet x;\n`, ['OnceCell'])).toBe(
      `#!/usr/bin/env node\n// Licence.\n\nimport { OnceCell } from '@lazy-init/runtime';\n\nlet x;\n`,
    );
    expect(withImport(`import a from 'a';\r\nrun(a);\r\n`, ['OnceCell'])).toBe(`import a from 'a';\r\nimport { OnceCell } from '@lazy-init/runtime';\r\nrun(a);\r\n`);
  });
});

describe('planCellRewrite', () => {
  const rewrite = (text: string, cell: 'OnceCell' | 'OnceLock', filePath = 'file.ts') => {
    const { sites } = analyzeSource(text, { filePath });
    expect(sites).toHaveLength(1);
    const plan = planCellRewrite(sites[0]!, text, cell, { typescript: /\.tsx?$/.test(filePath) });
    return plan && apply(text, plan.edits);
  };

  it('rewrites an if-guard, an early return and an expression guard', () => {
    expect(rewrite(`let x: X | undefined;\nexport function get(): X {\n  if (x === undefined) {\n    x = new X();\n  }\n  return x;\n}\n`, 'OnceCell')).toBe(
      `const x = new OnceCell<X>();\nexport function get(): X {\n  return x.getOrInit(() => new X());\n}\n`,
    );
    expect(rewrite(`let x: X | null = null;\nexport function get() {\n  if (x) return x;\n  x = make();\n  return x;\n}\n`, 'OnceCell')).toBe(
      `const x = new OnceCell<X>();\nexport function get() {\n  return x.getOrInit(() => make());\n}\n`,
    );
    expect(rewrite(`let x;\nexport const get = () => (x ??= { a: 1 });\n`, 'OnceCell', 'file.js')).toBe(
      `const x = new OnceCell();\nexport const get = () => (x.getOrInit(() => ({ a: 1 })));\n`,
    );
  });

  it('keeps a file without semicolons without them and dedents an initializer moved out of the guard block', () => {
    expect(
      rewrite(
        `let client: Client\nexport function get(): Client {\n  if (!client) {\n    client = new Client({\n      retries: 2,\n    })\n  }\n  return client\n}\n`,
        'OnceCell',
      ),
    ).toBe(`const client = new OnceCell<Client>()\nexport function get(): Client {\n  return client.getOrInit(() => new Client({\n    retries: 2,\n  }))\n}\n`);
  });

  it('turns an awaited store into a lock initializer', () => {
    expect(rewrite(`let db: Db | undefined;\nexport async function get() {\n  db ??= await connect();\n  return db;\n}\n`, 'OnceLock')).toBe(
      `const db = new OnceLock<Db>();\nexport async function get() {\n  return db.getOrInit(() => connect());\n}\n`,
    );
  });

  it('refuses what it cannot rewrite without changing other code', () => {
    // Read outside the accessor.
    expect(rewrite(`let x: X | undefined;\nexport function get() { x ??= new X(); return x; }\nexport function peek() { return x; }\n`, 'OnceCell')).toBeUndefined();
    // `T` unknown in TypeScript.
    expect(rewrite(`let x;\nexport function get() { x ??= make(); return x; }\n`, 'OnceCell')).toBeUndefined();
    // The accessor does more than guard, store and return.
    expect(rewrite(`let x: X | undefined;\nexport function get() { x ??= new X(); log(x); return x; }\n`, 'OnceCell')).toBeUndefined();
    // A reset used as a value.
    expect(rewrite(`let x: X | undefined;\nexport function get() { x ??= new X(); return x; }\nexport const drop = () => (x = undefined);\n`, 'OnceCell')).toBeUndefined();
  });
});

describe('isNeverFalsy', () => {
  it('knows which initializers can never be falsy or nullish', () => {
    const expression = (code: string) => {
      const statement = parse(`(${code});`, { range: true }).body[0]!;
      if (statement.type !== 'ExpressionStatement') throw new TypeError('Expected an expression statement.');
      return statement.expression;
    };
    for (const code of ['new X()', '{}', '[]', 'class {}', '() => 1', '`a${b}`', "'a'", '1']) expect(isNeverFalsy(expression(code))).toBe(true);
    for (const code of ['make()', 'x', "''", '0', '`${a}`', 'a ? b : c']) expect(isNeverFalsy(expression(code))).toBe(false);
  });
});

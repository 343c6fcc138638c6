/**
 * The published declarations compile in consumers whose `lib` is older than ours: a project on `ES2022` + `DOM`
 * without `esnext.disposable` or `@types/node` must still see `Symbol.dispose` and `Symbol.asyncDispose`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const consumer = fileURLToPath(new URL('./consumer/disposal-without-esnext-lib.ts', import.meta.url));

const diagnosticsWith = (lib: string[]): string[] => {
  const program = ts.createProgram([consumer], {
    target: ts.ScriptTarget.ES2022,
    lib,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(root, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
};

describe('declarations in older consumers', () => {
  beforeAll(() => {
    if (!existsSync(path.join(root, 'runtime/dist/index.d.ts'))) {
      spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'runtime'], { cwd: root });
    }
  });

  it('compile without esnext.disposable in lib', () => {
    expect(diagnosticsWith(['lib.es2022.d.ts', 'lib.dom.d.ts'])).toEqual([]);
  });

  it('compile beside the standard declarations of Symbol.dispose', () => {
    expect(diagnosticsWith(['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'])).toEqual([]);
  });
});

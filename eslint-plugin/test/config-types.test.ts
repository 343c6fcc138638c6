/**
 * The plugin's published types work where users put them: `defineConfig` from `eslint/config`, `tseslint.config`,
 * spread into an object with `files`. The usage file is compiled against the built declarations, strictly.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './built-plugin.js';

const usageFile = fileURLToPath(new URL('./fixtures/config-usage/eslint.config.ts', import.meta.url));

beforeAll(() => ensureBuilt(), 180_000);

describe('plugin types', () => {
  it('type-check in the flat config helpers of eslint and typescript-eslint', () => {
    const program = ts.createProgram([usageFile], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
      return `${diagnostic.file?.fileName ?? ''}:${where ? where.line + 1 : 0} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });
});

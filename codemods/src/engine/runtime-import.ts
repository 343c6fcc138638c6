/**
 * The runtime import, through the shared analysis' import fixer (the one the rules' fixes use): added once per file,
 * merged into an existing `@lazy-init/runtime` import or `require`, in the file's quote and semicolon style, as
 * `require` in CommonJS files. This module adds what the codemod needs around it: which runtime names the file can
 * use without a clash, and the edit in the engine's own edit shape.
 */
import { RUNTIME_MODULE, runtimeImportEdit, type RuntimeName } from '@lazy-init/eslint-plugin/analysis';
import type { ScopeManager } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ModuleKind } from './parse.js';
import type { TextEdit } from './text.js';

export type { RuntimeName };

/** The runtime names the file already binds to the runtime module (as values, under their own name). */
const importedFromRuntime = (ast: TSESTree.Program): Set<string> => {
  const names = new Set<string>();
  for (const statement of ast.body) {
    if (statement.type === 'ImportDeclaration' && statement.source.value === RUNTIME_MODULE && statement.importKind !== 'type') {
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportSpecifier' && specifier.importKind !== 'type' && specifier.local.name === importedName(specifier)) {
          names.add(specifier.local.name);
        }
      }
    }
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        const init = declarator.init;
        if (
          declarator.id.type === 'ObjectPattern' &&
          init?.type === 'CallExpression' &&
          init.callee.type === 'Identifier' &&
          init.callee.name === 'require' &&
          init.arguments[0]?.type === 'Literal' &&
          init.arguments[0].value === RUNTIME_MODULE
        ) {
          for (const property of declarator.id.properties) {
            if (
              property.type === 'Property' &&
              property.key.type === 'Identifier' &&
              property.value.type === 'Identifier' &&
              property.key.name === property.value.name
            ) {
              names.add(property.value.name);
            }
          }
        }
      }
    }
  }
  return names;
};

const importedName = (specifier: TSESTree.ImportSpecifier): string =>
  specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);

/**
 * Runtime names that would clash in this file: declared (or used as an undeclared global) by something other than an
 * import of the runtime itself. A site that needs one of them is skipped rather than renamed.
 */
export const clashingRuntimeNames = (ast: TSESTree.Program, scopeManager: ScopeManager): Set<RuntimeName> => {
  const fromRuntime = importedFromRuntime(ast);
  const clashes = new Set<RuntimeName>();
  const candidates: RuntimeName[] = ['OnceCell', 'LazyCell', 'OnceLock', 'LazyLock'];
  for (const scope of scopeManager.scopes) {
    for (const name of candidates) {
      if (fromRuntime.has(name)) continue;
      if (scope.set.has(name) || scope.through.some((reference) => reference.identifier.name === name)) clashes.add(name);
    }
  }
  return clashes;
};

/** The edits that make `names` available; none when the file already imports them all. */
export const runtimeImportEdits = (
  ast: TSESTree.Program,
  text: string,
  names: ReadonlySet<RuntimeName>,
  moduleKind: ModuleKind,
): TextEdit[] => {
  if (names.size === 0) return [];
  const edit = runtimeImportEdit(ast, text, [...names], { commonjs: moduleKind === 'commonjs' });
  return edit === undefined ? [] : [{ start: edit.range[0], end: edit.range[1], text: edit.text }];
};

/**
 * Text edits shared by the rules' fixes and the codemod: adding the runtime import in the file's own style, and
 * rewriting a hand-rolled site whose accessor only guards, stores and returns into a runtime cell.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { contains, emptyValueOf, unwrap } from './ast.js';
import type { LazySite } from './types.js';

/** Replace `range` of the source text with `text` (an insertion when the range is empty). */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

export const RUNTIME_MODULE = '@lazy-init/runtime';

export type RuntimeName = 'OnceCell' | 'LazyCell' | 'OnceLock' | 'LazyLock' | 'LazyInit';

export interface ImportStyleOptions {
  /** Emit `const { X } = require(...)` instead of an `import`. Decided from the file when absent. */
  readonly commonjs?: boolean;
}

const isRuntimeSource = (node: TSESTree.Node | null | undefined): boolean =>
  !!node && node.type === AST_NODE_TYPES.Literal && node.value === RUNTIME_MODULE;

/** The file's preferred quote (from its first string literal) and whether its statements end with `;`. */
export function fileStyle(program: TSESTree.Program, text: string): { quote: "'" | '"'; semicolon: boolean } {
  const firstString = program.tokens?.find((token) => token.type === 'String');
  const quote = firstString?.value.startsWith('"') ? '"' : "'";
  const statements = program.body.filter(
    (s) =>
      s.type === AST_NODE_TYPES.ImportDeclaration ||
      s.type === AST_NODE_TYPES.VariableDeclaration ||
      s.type === AST_NODE_TYPES.ExpressionStatement,
  );
  const withSemicolon = statements.filter((s) => text.slice(s.range[0], s.range[1]).trimEnd().endsWith(';')).length;
  return { quote, semicolon: statements.length === 0 || withSemicolon * 2 >= statements.length };
}

/**
 * A CommonJS file: no `import`/`export` statements, and a top-level `require(...)` declaration or an assignment to
 * `module.exports` / `exports.x`. A file with neither is taken as an ES module; pass `commonjs` to decide otherwise
 * (for example from a `.cjs` extension).
 */
export function isCommonJs(program: TSESTree.Program): boolean {
  const esm = program.body.some(
    (s) =>
      s.type === AST_NODE_TYPES.ImportDeclaration ||
      s.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      s.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      s.type === AST_NODE_TYPES.ExportAllDeclaration,
  );
  if (esm) return false;
  return program.body.some((statement) => isRequireDeclaration(statement) || isExportsAssignment(statement));
}

function isExportsAssignment(statement: TSESTree.Node): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.AssignmentExpression) return false;
  let target: TSESTree.Node = statement.expression.left;
  while (target.type === AST_NODE_TYPES.MemberExpression) target = target.object;
  return target.type === AST_NODE_TYPES.Identifier && (target.name === 'module' || target.name === 'exports');
}

function isRequireDeclaration(statement: TSESTree.Node): boolean {
  return (
    statement.type === AST_NODE_TYPES.VariableDeclaration &&
    statement.declarations.some((d) => {
      const init = d.init && unwrap(d.init);
      return init?.type === AST_NODE_TYPES.CallExpression && init.callee.type === AST_NODE_TYPES.Identifier && init.callee.name === 'require';
    })
  );
}

/**
 * The edit that makes `names` importable from `@lazy-init/runtime`: merged into an existing value import (or
 * `require` destructuring) of the module, otherwise a new statement after the last import (or the directive prologue),
 * in the file's quote and semicolon style. `undefined` when every name is already imported.
 */
export function runtimeImportEdit(
  program: TSESTree.Program,
  text: string,
  names: readonly RuntimeName[],
  options: ImportStyleOptions = {},
): TextEdit | undefined {
  const wanted = [...new Set(names)].sort();
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && isRuntimeSource(statement.source) && statement.importKind !== 'type') {
      const named = statement.specifiers.filter((s): s is TSESTree.ImportSpecifier => s.type === AST_NODE_TYPES.ImportSpecifier);
      if (statement.specifiers.some((s) => s.type === AST_NODE_TYPES.ImportNamespaceSpecifier)) continue;
      const present = new Set(named.filter((s) => s.importKind !== 'type').map((s) => (s.local.name)));
      const missing = wanted.filter((name) => !present.has(name));
      if (missing.length === 0) return undefined;
      const last = named[named.length - 1];
      if (last) return { range: [last.range[1], last.range[1]], text: `, ${missing.join(', ')}` };
      const defaultSpecifier = statement.specifiers[0];
      if (defaultSpecifier) return { range: [defaultSpecifier.range[1], defaultSpecifier.range[1]], text: `, { ${missing.join(', ')} }` };
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const init = declarator.init && unwrap(declarator.init);
        if (
          init?.type === AST_NODE_TYPES.CallExpression &&
          init.callee.type === AST_NODE_TYPES.Identifier &&
          init.callee.name === 'require' &&
          isRuntimeSource(init.arguments[0]) &&
          declarator.id.type === AST_NODE_TYPES.ObjectPattern
        ) {
          const present = new Set(
            declarator.id.properties.flatMap((p) => (p.type === AST_NODE_TYPES.Property && p.value.type === AST_NODE_TYPES.Identifier ? [p.value.name] : [])),
          );
          const missing = wanted.filter((name) => !present.has(name));
          if (missing.length === 0) return undefined;
          const last = declarator.id.properties[declarator.id.properties.length - 1];
          if (last) return { range: [last.range[1], last.range[1]], text: `, ${missing.join(', ')}` };
        }
      }
    }
  }
  const { quote, semicolon } = fileStyle(program, text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const end = semicolon ? ';' : '';
  const commonjs = options.commonjs ?? isCommonJs(program);
  const statement = commonjs
    ? `const { ${wanted.join(', ')} } = require(${quote}${RUNTIME_MODULE}${quote})${end}`
    : `import { ${wanted.join(', ')} } from ${quote}${RUNTIME_MODULE}${quote}${end}`;
  let anchor: TSESTree.Node | undefined;
  for (const s of program.body) {
    const isImport = s.type === AST_NODE_TYPES.ImportDeclaration;
    const isDirective = s.type === AST_NODE_TYPES.ExpressionStatement && 'directive' in s && typeof s.directive === 'string';
    const isRequire = commonjs && isRequireDeclaration(s);
    if (isImport || isDirective || isRequire) anchor = s;
    else if (!isDirective) break;
  }
  if (anchor) return { range: [anchor.range[1], anchor.range[1]], text: `${eol}${statement}` };
  // Right before the first statement: header comments (licences, `@ts-check`) and a shebang stay above the import.
  // A doc comment written directly on the first statement (`/** ... */`, no blank line between) stays with it.
  let start = program.body[0] ? program.body[0].range[0] : text.length;
  const docComment = program.comments?.filter((comment) => comment.range[1] <= start).at(-1);
  if (docComment?.type === 'Block' && docComment.value.startsWith('*') && /^[ \t]*\r?\n?[ \t]*$/.test(text.slice(docComment.range[1], start))) {
    start = docComment.range[0];
  }
  return { range: [start, start], text: `${statement}${eol}${program.body.length > 0 ? eol : ''}` };
}

// -------------------------------------------------------------------------------------------------------------
// Cell rewrite
// -------------------------------------------------------------------------------------------------------------

export interface CellRewrite {
  readonly cell: RuntimeName;
  readonly edits: readonly TextEdit[];
}

export interface CellRewriteOptions {
  /** The file is TypeScript: the cell needs its `T` (from the slot's annotation, the initializer or type info). */
  readonly typescript: boolean;
}

/** An initializer that can never produce a falsy or nullish value, whatever it calls. */
export function isNeverFalsy(node: TSESTree.Node): boolean {
  const value = unwrap(node);
  switch (value.type) {
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ClassExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return true;
    case AST_NODE_TYPES.TemplateLiteral:
      return value.quasis.some((q) => q.value.cooked !== '' && q.value.cooked !== null);
    case AST_NODE_TYPES.Literal:
      return !!value.value;
    default:
      return false;
  }
}

/** `X | undefined | null` -> `X`; `Promise<X> | undefined` -> `X` when `unwrapPromise`. */
function valueTypeFromAnnotation(annotation: TSESTree.TypeNode, text: string, unwrapPromise: boolean): string | undefined {
  let node: TSESTree.TypeNode = annotation;
  if (node.type === AST_NODE_TYPES.TSUnionType) {
    const kept = node.types.filter((t) => t.type !== AST_NODE_TYPES.TSUndefinedKeyword && t.type !== AST_NODE_TYPES.TSNullKeyword);
    if (kept.length !== 1) {
      if (kept.length === 0 || unwrapPromise) return undefined;
      return kept.map((t) => text.slice(t.range[0], t.range[1])).join(' | ');
    }
    node = kept[0]!;
  }
  if (unwrapPromise) {
    if (
      node.type === AST_NODE_TYPES.TSTypeReference &&
      node.typeName.type === AST_NODE_TYPES.Identifier &&
      (node.typeName.name === 'Promise' || node.typeName.name === 'PromiseLike') &&
      node.typeArguments?.params.length === 1
    ) {
      const inner = node.typeArguments.params[0]!;
      return text.slice(inner.range[0], inner.range[1]);
    }
    return undefined;
  }
  return text.slice(node.range[0], node.range[1]);
}

function valueType(site: LazySite, text: string, cell: RuntimeName): string | undefined {
  const isLock = cell === 'OnceLock';
  const unwrapPromise = isLock && site.initializer.kind === 'promise';
  if (site.slot.typeAnnotation) return valueTypeFromAnnotation(site.slot.typeAnnotation, text, unwrapPromise);
  const init = unwrap(site.initializer.kind === 'awaited' && site.initializer.node.type === AST_NODE_TYPES.AwaitExpression ? site.initializer.node.argument : site.initializer.node);
  if (site.initializer.kind === 'sync' && init.type === AST_NODE_TYPES.NewExpression) {
    return text.slice(init.callee.range[0], (init.typeArguments ?? init.callee).range[1]);
  }
  if (site.slot.valueTypeText && !unwrapPromise && site.initializer.kind !== 'awaited') return site.slot.valueTypeText;
  return undefined;
}

/** The statement directly in `body` that holds `node`. */
function statementIn(body: readonly TSESTree.Node[], node: TSESTree.Node): TSESTree.Node | undefined {
  return body.find((statement) => contains(statement, node));
}

/**
 * Rewrites a site into `const slot = new Cell<T>()` plus `return slot.getOrInit(() => init)` when its shape allows
 * it without touching anything else: the accessor only guards, stores and returns the slot; every read of the slot is
 * in that accessor; the only other writers are resets written as statements (they become `slot.take()`); the slot is
 * a module/closure `let` or a declared class field; the initializer is in the store (not computed by earlier
 * statements). `undefined` otherwise. Whether the rewrite preserves behaviour is the caller's decision.
 */
/**
 * The shape a cell rewrite handles: a direct slot, one store on every path, a guard that runs on demand and tests for
 * `undefined`, `null` or falsiness. Branch and conditional stores, once-flags, sentinels, shared slot paths and
 * constructor or top-level contexts stay as they are.
 */
export function isPlainShape(site: LazySite): boolean {
  const { shape } = site;
  return shape.slotPath === 'direct' && shape.store === 'direct' && shape.context === 'on-demand' && site.guard.empty !== 'sentinel';
}

export function planCellRewrite(site: LazySite, text: string, cell: RuntimeName, options: CellRewriteOptions): CellRewrite | undefined {
  const { slot, accessor, initializer, guard } = site;
  if (!isPlainShape(site)) return undefined;
  if (!accessor || !accessor.returnsSlot || !site.flags.singleSite || site.aliases.length > 0) return undefined;
  if (accessor.node.generator) return undefined;
  if (site.reads.some((read) => !read.inSite) || slot.exported || site.flags.triStateNull || site.flags.workAfterStore) return undefined;
  if (site.stores.length !== 1) return undefined;
  const store = site.stores[0]!;
  // A reset becomes `take()` only when the guard treats the value it stores as empty (`null` may mean "disabled").
  const emptyValues: Record<string, readonly string[]> = {
    undefined: ['undefined'],
    null: ['null'],
    nullish: ['undefined', 'null'],
    falsy: ['undefined', 'null'],
  };
  for (const writer of site.otherWriters) {
    if (writer.kind !== 'reset' || !writer.isStatement || !emptyValues[guard.empty]!.includes(writer.value ?? '')) return undefined;
  }
  const type = valueType(site, text, cell);
  if (options.typescript && type === undefined) return undefined;
  const typeArgument = options.typescript && type !== undefined ? `<${type}>` : '';
  const edits: TextEdit[] = [];

  // Declaration.
  const declaration = slot.declaration;
  const slotText = text.slice(guard.read.range[0], guard.read.range[1]);
  if (slot.kind === 'module' || slot.kind === 'closure') {
    if (!declaration || declaration.type !== AST_NODE_TYPES.VariableDeclarator || slot.exported) return undefined;
    if (declaration.init && !emptyValueOf(declaration.init)) return undefined;
    if (declaration.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    const statement = slot.variable?.defs[0]?.parent;
    if (!statement || statement.type !== AST_NODE_TYPES.VariableDeclaration || statement.declarations.length !== 1 || statement.kind !== 'let') return undefined;
    const end = text.slice(statement.range[0], statement.range[1]).trimEnd().endsWith(';') ? ';' : '';
    edits.push({ range: statement.range, text: `const ${declaration.id.name} = new ${cell}${typeArgument}()${end}` });
  } else if (slot.kind === 'instance' || slot.kind === 'static') {
    if (!declaration || declaration.type !== AST_NODE_TYPES.PropertyDefinition || declaration.computed || declaration.declare) return undefined;
    if (declaration.value && !emptyValueOf(declaration.value)) return undefined;
    const declarationText = text.slice(declaration.range[0], declaration.range[1]);
    const end = declarationText.trimEnd().endsWith(';') ? ';' : '';
    edits.push({ range: [declaration.key.range[1], declaration.range[1]], text: ` = new ${cell}${typeArgument}()${end}` });
  } else {
    return undefined;
  }

  // Resets become `take()`.
  for (const writer of site.otherWriters) {
    const assignment = writer.node as TSESTree.AssignmentExpression;
    const target = text.slice(assignment.left.range[0], assignment.left.range[1]);
    edits.push({ range: assignment.range, text: `${target}.take()` });
  }

  // Accessor body.
  let initNode: TSESTree.Node = initializer.node;
  let asyncPrefix = '';
  if (initializer.kind === 'awaited') {
    if (initializer.awaits.length !== 1 || initializer.awaits[0] !== unwrap(initNode) || unwrap(initNode).type !== AST_NODE_TYPES.AwaitExpression) {
      if (!initializer.awaits.every((a) => contains(initNode, a))) return undefined;
      asyncPrefix = 'async ';
    } else {
      initNode = (unwrap(initNode) as TSESTree.AwaitExpression).argument;
    }
  }
  let initText = text.slice(initNode.range[0], initNode.range[1]);
  if (unwrap(initNode).type === AST_NODE_TYPES.ObjectExpression || initNode.type === AST_NODE_TYPES.SequenceExpression) initText = `(${initText})`;
  const call = `${slotText}.getOrInit(${asyncPrefix}() => ${initText})`;
  const body = accessor.node.body;
  if (!body) return undefined;
  if (body.type !== AST_NODE_TYPES.BlockStatement) {
    if (!contains(guard.node, store) || unwrap(body) !== guard.node) return undefined;
    edits.push({ range: body.range, text: call });
    return { cell, edits };
  }
  const first = statementIn(body.body, guard.node);
  const last = body.body[body.body.length - 1];
  if (!first || !last || last.type !== AST_NODE_TYPES.ReturnStatement || !last.argument) return undefined;
  // Between the guard and the final return, only the guard's own store may appear (early-return form).
  const from = body.body.indexOf(first as never);
  const between = body.body.slice(from + 1, -1);
  if (between.some((statement) => !contains(statement, store))) return undefined;
  if (between.length > 1) return undefined;
  if (guard.node.type === AST_NODE_TYPES.IfStatement && guard.kind !== 'early-return') {
    const consequent = guard.node.consequent;
    const statements = consequent.type === AST_NODE_TYPES.BlockStatement ? consequent.body : [consequent];
    if (statements.length !== 1 || !contains(statements[0]!, store)) return undefined;
  }
  if (first !== last && unwrap(last.argument).type !== unwrap(guard.read).type) return undefined;
  // Keep the return's own semicolon style, and move an initializer written inside the guard's block out by the
  // block's extra indentation.
  const end = text.slice(last.range[0], last.range[1]).trimEnd().endsWith(';') ? ';' : '';
  const outer = indentationAt(text, first.range[0]);
  const inner = indentationAt(text, statementStart(text, store.range[0]));
  const dedented = inner.length > outer.length && inner.startsWith(outer) ? dedent(call, inner.slice(outer.length)) : call;
  edits.push({ range: [first.range[0], last.range[1]], text: `return ${dedented}${end}` });
  return { cell, edits };
}

/** The whitespace that starts the line holding `offset`. */
function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The first non-blank offset of the line holding `offset`. */
function statementStart(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return lineStart + indentationAt(text, offset).length;
}

/** Removes `extra` from the start of every continuation line that has it. */
function dedent(code: string, extra: string): string {
  return code
    .split('\n')
    .map((line, index) => (index > 0 && line.startsWith(extra) ? line.slice(extra.length) : line))
    .join('\n');
}

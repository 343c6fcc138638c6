/**
 * AST helpers for planning edits. Trees come from typescript-estree's `parse`, which sets no `parent`; the engine
 * sets parent pointers once per file (`setParents`) and reads them through `parentOf`.
 */
import { simpleTraverse, type TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

export type Node = TSESTree.Node;

export const setParents = (ast: TSESTree.Program): void => {
  simpleTraverse(ast, { enter: () => undefined }, true);
};

export const parentOf = (node: Node): Node | undefined => (node as { parent?: Node }).parent;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

export const childrenOf = (node: Node): Node[] => {
  const children: Node[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
};

/** Visits `root` and its descendants; returning `false` from `visit` skips a node's children. */
export const walk = (root: Node, visit: (node: Node) => boolean | void): void => {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const children = childrenOf(node);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
};

export const isFunctionNode = (node: Node): node is TSESTree.FunctionLike =>
  node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';

/** `a` contains `b` (or is `b`), by range. */
export const contains = (a: { range: TSESTree.Range }, b: { range: TSESTree.Range }): boolean =>
  a.range[0] <= b.range[0] && b.range[1] <= a.range[1];

/** Removes TypeScript wrappers that do not change the value: `x!`, `x as T`, `<T>x`, `x satisfies T`. */
export const unwrapTs = (node: Node): Node => {
  let current = node;
  while (
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSAsExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'TSSatisfiesExpression'
  ) {
    current = current.expression;
  }
  return current;
};

/**
 * The range of `node` widened to the parentheses written around it (`(x ??= y)`), found from the tokens: each `(`
 * right before must pair with a `)` right after.
 */
export const parenthesizedRange = (node: Node, tokens: readonly TSESTree.Token[]): TSESTree.Range => {
  let [start, end] = node.range;
  let before = tokenIndexBefore(tokens, start);
  let after = tokenIndexAt(tokens, end);
  for (;;) {
    const open = tokens[before];
    const close = tokens[after];
    if (open?.value !== '(' || close?.value !== ')' || open.type !== 'Punctuator' || close.type !== 'Punctuator') break;
    // `f(x)`: the parentheses of a call or of `if (...)` belong to it, not to the expression.
    const previous = tokens[before - 1];
    if (previous !== undefined && isCallLikeOpener(previous)) break;
    start = open.range[0];
    end = close.range[1];
    before--;
    after++;
  }
  return [start, end];
};

const isCallLikeOpener = (token: TSESTree.Token): boolean =>
  token.type === 'Identifier' ||
  token.type === 'PrivateIdentifier' ||
  (token.type === 'Keyword' && ['if', 'while', 'for', 'switch', 'catch', 'with', 'function'].includes(token.value)) ||
  (token.type === 'Punctuator' && [')', ']', '>', '?.'].includes(token.value)) ||
  token.type === 'String' ||
  token.type === 'Template';

/** Index of the last token ending at or before `offset`. */
export const tokenIndexBefore = (tokens: readonly TSESTree.Token[], offset: number): number => {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.range[1] <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
};

/** Index of the first token starting at or after `offset`. */
export const tokenIndexAt = (tokens: readonly TSESTree.Token[], offset: number): number => {
  let low = 0;
  let high = tokens.length - 1;
  let found = tokens.length;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.range[0] >= offset) {
      found = middle;
      high = middle - 1;
    } else {
      low = middle + 1;
    }
  }
  return found;
};

/** The statement list holding `statement` and its index there, when it sits directly in a block or program. */
export const statementSiblings = (
  statement: Node,
): { list: readonly TSESTree.Statement[] | readonly TSESTree.ProgramStatement[]; index: number } | undefined => {
  const parent = parentOf(statement);
  if (parent === undefined) return undefined;
  let list: readonly Node[] | undefined;
  if (parent.type === 'BlockStatement' || parent.type === 'Program' || parent.type === 'StaticBlock') list = parent.body;
  else if (parent.type === 'SwitchCase') list = parent.consequent;
  if (list === undefined) return undefined;
  const index = list.indexOf(statement);
  return index === -1 ? undefined : { list: list as readonly TSESTree.Statement[], index };
};

/** The innermost function (or the program) whose body holds `node`, not counting `node` itself. */
export const enclosingFunction = (node: Node): Node => {
  let current = parentOf(node);
  while (current !== undefined && !isFunctionNode(current) && current.type !== 'Program') current = parentOf(current);
  return current ?? node;
};

/** `node` contains a `return`, `yield`, `break`/`continue` or `arguments`/`this` that belongs to its function. */
export const containsOwn = (root: Node, types: ReadonlySet<string>): boolean => {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (node !== root && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression')) return false;
    if (node !== root && node.type === 'ArrowFunctionExpression' && !types.has('this-like')) return false;
    if (types.has(node.type)) found = true;
    if (types.has('this-like') && isThisLike(node)) found = true;
    return !found;
  });
  return found;
};

const isThisLike = (node: Node): boolean =>
  node.type === 'ThisExpression' ||
  node.type === 'Super' ||
  (node.type === 'Identifier' && node.name === 'arguments') ||
  (node.type === 'MetaProperty' && node.meta.name === 'new');

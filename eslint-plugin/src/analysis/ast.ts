/**
 * Small AST helpers for the lazy-site analysis. They work on trees from ESLint (which sets `parent`) and from
 * `@typescript-eslint/typescript-estree`'s `parse` (which does not): parents come from an explicit map.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

export type Node = TSESTree.Node;

export type ParentMap = WeakMap<Node, Node>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Walks every node once, parents before children, and records each node's parent. */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): ParentMap {
  const parents: ParentMap = new WeakMap();
  const stack: [Node, Node | undefined][] = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    if (parent) parents.set(node, parent);
    visit(node, parent);
    const keys = visitorKeys[node.type] ?? [];
    const children: Node[] = [];
    for (const key of keys) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, node]);
  }
  return parents;
}

export const isFunction = (node: Node): node is TSESTree.FunctionLike =>
  node.type === AST_NODE_TYPES.FunctionDeclaration ||
  node.type === AST_NODE_TYPES.FunctionExpression ||
  node.type === AST_NODE_TYPES.ArrowFunctionExpression;

/** Removes TypeScript-only wrappers that do not change the value: `x!`, `x as T`, `<T>x`, `x satisfies T`. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSSatisfiesExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The parent, skipping the TypeScript wrappers `unwrap` removes. */
export function outerParent(node: Node, parents: ParentMap): Node | undefined {
  let parent = parents.get(node);
  while (
    parent &&
    (parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression)
  ) {
    parent = parents.get(parent);
  }
  return parent;
}

/** The nearest enclosing function (arrows included), or the program. */
export function containerOf(node: Node, parents: ParentMap): Node {
  let current = parents.get(node);
  while (current) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.Program) return current;
    current = parents.get(current);
  }
  return node;
}

export const contains = (outer: Node, inner: Node): boolean =>
  outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];

export const isUndefinedLiteral = (node: Node): boolean => {
  const value = unwrap(node);
  return (
    (value.type === AST_NODE_TYPES.Identifier && value.name === 'undefined') ||
    (value.type === AST_NODE_TYPES.UnaryExpression && value.operator === 'void' && value.argument.type === AST_NODE_TYPES.Literal)
  );
};

export const isNullLiteral = (node: Node): boolean => {
  const value = unwrap(node);
  return value.type === AST_NODE_TYPES.Literal && value.value === null && !('regex' in value) && !('bigint' in value);
};

/** `undefined`, `void 0` or `null`. */
export const emptyValueOf = (node: Node): 'undefined' | 'null' | undefined =>
  isUndefinedLiteral(node) ? 'undefined' : isNullLiteral(node) ? 'null' : undefined;

/** Every node below `root` (root included) that satisfies `test`, without entering nested functions. */
export function collectShallow(root: Node, test: (node: Node) => boolean): Node[] {
  const found: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== root && isFunction(node)) continue;
    if (test(node)) found.push(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) stack.push(item);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
  }
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

/** Every node below `root` that satisfies `test`, nested functions included. */
export function collectDeep(root: Node, test: (node: Node) => boolean): Node[] {
  const found: Node[] = [];
  walk(root, (node) => {
    if (test(node)) found.push(node);
  });
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

/** The static name of a property key, `#name` for private names. */
export function propertyName(key: Node, computed: boolean): string | undefined {
  if (!computed) {
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  }
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (computed && key.type === AST_NODE_TYPES.Identifier) return `[${key.name}]`;
  return undefined;
}

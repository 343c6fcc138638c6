import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/** The module whose exports the rules recognise as lazy-initialization primitives. */
export const RUNTIME_MODULE = '@lazy-init/runtime';

export const CELL_TYPES = ['OnceCell', 'LazyCell', 'OnceLock', 'LazyLock', 'LazyInit'] as const;
export type CellType = (typeof CELL_TYPES)[number];

const isCellType = (name: string): name is CellType => (CELL_TYPES as readonly string[]).includes(name);

/** The lock types and `LazyInit` report reentrancy as a rejection; the cell types throw synchronously. */
export const isAsyncCellType = (type: CellType): boolean => type !== 'OnceCell' && type !== 'LazyCell';

/** Types whose initializer is given once, at construction. */
export const takesInitializerAtConstruction = (type: CellType): boolean => type === 'LazyCell' || type === 'LazyLock';

/** Which initializer runs when a member finds the cell empty: the one given at construction, an argument, or none. */
export type InitializerSource = 'construction' | 'none' | { readonly argument: number };

export interface ForcingMember {
  /** A method (`cell.force()`), as opposed to a getter (`cell.value`). */
  readonly call: boolean;
  readonly initializer: InitializerSource;
}

/**
 * Members that run, or wait for, the cell's initialization, which the runtime reports as `ReentrantInitError` when
 * they are reached from inside the cell's own initializer: the forcing accessors, `wait()` (it would wait on
 * itself), `tryInsert` (there is no value to report yet) and `LazyInit#reset` (it queues behind the running
 * initializer). Peeks (`get`, `isInitialized`, `state`) and the other writers (`set`, `take`, a lock's `reset`)
 * never do.
 */
export const FORCING_MEMBERS: Readonly<Record<CellType, Readonly<Record<string, ForcingMember>>>> = {
  OnceCell: {
    getOrInit: { call: true, initializer: { argument: 0 } },
    tryInsert: { call: true, initializer: 'none' },
  },
  LazyCell: {
    value: { call: false, initializer: 'construction' },
    force: { call: true, initializer: 'construction' },
  },
  OnceLock: {
    getOrInit: { call: true, initializer: { argument: 0 } },
    wait: { call: true, initializer: 'none' },
    tryInsert: { call: true, initializer: 'none' },
  },
  LazyLock: {
    force: { call: true, initializer: 'construction' },
    wait: { call: true, initializer: 'none' },
  },
  LazyInit: {
    init: { call: true, initializer: { argument: 0 } },
    wait: { call: true, initializer: 'none' },
    reset: { call: true, initializer: 'none' },
  },
};

type Scope = TSESLint.Scope.Scope;

const unwrapExpression = (node: TSESTree.Node): TSESTree.Node => {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.AwaitExpression:
        current = current.argument;
        break;
      default:
        return current;
    }
  }
};

/** `require('@lazy-init/runtime')` or `import('@lazy-init/runtime')` (possibly awaited). */
const isRuntimeModuleLoad = (node: TSESTree.Node | null | undefined): boolean => {
  if (!node) return false;
  const inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.ImportExpression) {
    return inner.source.type === AST_NODE_TYPES.Literal && inner.source.value === RUNTIME_MODULE;
  }
  return (
    inner.type === AST_NODE_TYPES.CallExpression &&
    inner.callee.type === AST_NODE_TYPES.Identifier &&
    inner.callee.name === 'require' &&
    inner.arguments.length === 1 &&
    inner.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    inner.arguments[0].value === RUNTIME_MODULE
  );
};

type Binding = { kind: 'type'; type: CellType } | { kind: 'namespace' };

/** What a local name stands for when it comes from the runtime module: one of its types, or the module itself. */
const runtimeBinding = (identifier: TSESTree.Identifier, scope: Scope): Binding | undefined => {
  const variable = ASTUtils.findVariable(scope, identifier);
  const def = variable?.defs[0];
  if (!def) return undefined;
  if (def.type === 'ImportBinding') {
    const declaration = def.parent;
    if (declaration.type !== AST_NODE_TYPES.ImportDeclaration || declaration.source.value !== RUNTIME_MODULE) return undefined;
    if (declaration.importKind === 'type') return undefined;
    const specifier = def.node;
    if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { kind: 'namespace' };
    if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
      if (specifier.importKind === 'type') return undefined;
      const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
      return isCellType(imported) ? { kind: 'type', type: imported } : undefined;
    }
    return undefined;
  }
  if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && isRuntimeModuleLoad(def.node.init)) {
    const { id } = def.node;
    if (id.type === AST_NODE_TYPES.Identifier) return { kind: 'namespace' };
    if (id.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of id.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type !== AST_NODE_TYPES.Identifier || value.name !== identifier.name) continue;
        const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : String((property.key as TSESTree.Literal).value);
        return isCellType(key) ? { kind: 'type', type: key } : undefined;
      }
    }
  }
  return undefined;
};

/**
 * The runtime type a `new` expression constructs, when its callee is one of the runtime's exports reached through an
 * import (renamed or not), a namespace import, or `require`. Anything else, including a local class that happens to be
 * called `LazyCell`, is not a runtime cell.
 */
export function constructedCellType(node: TSESTree.NewExpression, scope: Scope): CellType | undefined {
  const callee = unwrapExpression(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const binding = runtimeBinding(callee, scope);
    return binding?.kind === 'type' ? binding.type : undefined;
  }
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    isCellType(callee.property.name)
  ) {
    const object = unwrapExpression(callee.object);
    if (object.type === AST_NODE_TYPES.Identifier && runtimeBinding(object, scope)?.kind === 'namespace') {
      return callee.property.name;
    }
  }
  return undefined;
}

export { unwrapExpression };

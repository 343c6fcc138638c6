import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { analyzeProgram } from '../analysis/index.js';
import { createRule } from '../utils/create-rule.js';
import {
  type ClassNode,
  type FunctionNode,
  type ThisContext,
  MAX_INHERITANCE_DEPTH,
  classGetter,
  classOfIdentifier,
  functionLabel,
  isFunctionNode,
  isSameOrSubclass,
  memberName,
  memberOwner,
  objectLiteralOf,
  objectMember,
  resolveCallee,
  superClassOf,
  thisContext,
} from '../utils/functions.js';
import {
  type CellType,
  FORCING_MEMBERS,
  RUNTIME_MODULE,
  constructedCellType,
  isAsyncCellType,
  takesInitializerAtConstruction,
  unwrapExpression,
} from '../utils/runtime-cells.js';

export type Options = [{ maxDepth?: number }];
export type MessageIds = 'reentrantCell' | 'reentrantLock' | 'reentrantAccessor' | 'reentrantAsyncAccessor';

export const DEFAULT_MAX_DEPTH = 5;

/** A runtime cell the file stores somewhere it can be named again: a binding or a class field. */
interface Cell {
  readonly label: string;
  readonly type: CellType;
  /** The initializer given at construction (`LazyCell`, `LazyLock`). */
  readonly initializer: TSESTree.Node | undefined;
}

type Target =
  | { readonly kind: 'function'; readonly fn: FunctionNode }
  | { readonly kind: 'cell'; readonly cell: Cell; readonly initializer: TSESTree.Node | undefined };

interface Edge {
  readonly target: Target;
  readonly label: string;
  /** What `this` is in the target, as far as the access says: `this.m()` keeps the caller's, `Foo.m()` is `Foo`. */
  readonly receiver: ThisContext | undefined;
}

type Origin =
  | { readonly kind: 'cell'; readonly cell: Cell; readonly initializer: TSESTree.Node }
  | {
      readonly kind: 'accessor';
      readonly fn: FunctionNode;
      readonly label: string;
      readonly initializer: TSESTree.Node;
      readonly async: boolean;
    };

type Scope = TSESLint.Scope.Scope;

/** Callees whose function arguments run later, never during the call: timers, schedulers, listener registration. */
const DEFERRING_FUNCTIONS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'requestIdleCallback',
]);
const DEFERRING_METHODS = new Set([
  'nextTick',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'addEventListener',
  'addListener',
  'prependListener',
  'on',
  'once',
  'subscribe',
]);
/** Promise continuations run after the current job: inside a lock's initializer they still belong to its attempt. */
const CONTINUATION_METHODS = new Set(['then', 'catch', 'finally']);

/** Keys that hold types, not code that runs. */
const SKIPPED_KEYS = new Set(['typeAnnotation', 'typeParameters', 'typeArguments', 'returnType', 'superTypeArguments', 'implements']);

const calleeName = (callee: TSESTree.Node): { name: string; method: boolean } | undefined => {
  const target = unwrapExpression(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return { name: target.name, method: false };
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(target.property, target.computed);
    if (name !== undefined) return { name, method: true };
  }
  return undefined;
};

export default createRule<Options, MessageIds>({
  name: 'no-reentrant-init',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow initializers that reach their own cell or accessor again before they finish.',
      recommended: true,
      requiresTypeChecking: false,
    },
    schema: [
      {
        type: 'object',
        properties: {
          maxDepth: {
            type: 'integer',
            minimum: 1,
            description:
              'How many steps (calls, getter reads and cell accesses) a cycle may have, the reentrant access included. `a -> b -> a` has two.',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      reentrantCell:
        '`{{cell}}` is reached again by its own initializer, so it throws `ReentrantInitError`. Path: {{path}}.',
      reentrantLock:
        '`{{cell}}` is awaited again by its own initializer, so it rejects with `ReentrantInitError`. Path: {{path}}.',
      reentrantAccessor:
        '`{{cell}}` is called again by its own initializer before a value is stored, so it recurses. Path: {{path}}.',
      reentrantAsyncAccessor:
        '`{{cell}}` is called again by its own async initializer, so it recurses or waits on itself forever. Path: {{path}}.',
    },
  },
  defaultOptions: [{ maxDepth: DEFAULT_MAX_DEPTH }],
  create(context, [{ maxDepth = DEFAULT_MAX_DEPTH }]) {
    const { sourceCode } = context;
    const usesRuntime = sourceCode.text.includes(RUNTIME_MODULE);

    const cellsByVariable = new Map<TSESLint.Scope.Variable, Cell>();
    const cellsByMember = new Map<ClassNode, Map<string, Cell>>();
    const constructions: { node: TSESTree.NewExpression; type: CellType }[] = [];
    const perCallInitializers: TSESTree.CallExpression[] = [];

    const scopeOf = (node: TSESTree.Node): Scope => sourceCode.getScope(node);
    const memberKey = (isStatic: boolean, name: string): string => `${isStatic ? 'static' : 'instance'} ${name}`;

    const addMember = (classNode: ClassNode, isStatic: boolean, name: string, cell: Cell): Cell => {
      let members = cellsByMember.get(classNode);
      if (!members) cellsByMember.set(classNode, (members = new Map()));
      members.set(memberKey(isStatic, name), cell);
      return cell;
    };

    /** Registers where a constructed cell is kept, so that later accesses to it can be recognised. */
    const storeCell = (construction: TSESTree.NewExpression, type: CellType): Cell | undefined => {
      let stored: TSESTree.Node = construction;
      while (
        stored.parent.type === AST_NODE_TYPES.TSAsExpression ||
        stored.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
        stored.parent.type === AST_NODE_TYPES.TSNonNullExpression
      ) {
        stored = stored.parent;
      }
      const parent = stored.parent;
      const initializer = takesInitializerAtConstruction(type) ? construction.arguments[0] : undefined;
      const cellFor = (label: string): Cell => ({ label, type, initializer });

      if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === stored && parent.id.type === AST_NODE_TYPES.Identifier) {
        const { name } = parent.id;
        const variable = sourceCode.getDeclaredVariables(parent).find((candidate) => candidate.name === name);
        if (!variable) return undefined;
        const cell = cellFor(name);
        cellsByVariable.set(variable, cell);
        return cell;
      }
      if (
        (parent.type === AST_NODE_TYPES.PropertyDefinition || parent.type === AST_NODE_TYPES.AccessorProperty) &&
        parent.value === stored
      ) {
        const name = memberName(parent.key, parent.computed);
        if (name === undefined) return undefined;
        const classNode = parent.parent.parent;
        const owner = parent.static && classNode.id ? classNode.id.name : 'this';
        return addMember(classNode, parent.static, name, cellFor(`${owner}.${name}`));
      }
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === stored) {
        const left = parent.left;
        if (left.type === AST_NODE_TYPES.Identifier) {
          const variable = ASTUtils.findVariable(scopeOf(left), left);
          if (!variable) return undefined;
          const cell = cellFor(left.name);
          cellsByVariable.set(variable, cell);
          return cell;
        } else if (left.type === AST_NODE_TYPES.MemberExpression) {
          const name = memberName(left.property, left.computed);
          const owner = name === undefined ? undefined : memberOwner(left.object, scopeOf(left));
          if (owner && name !== undefined) {
            const ownerText = owner.isStatic && owner.classNode.id ? owner.classNode.id.name : 'this';
            return addMember(owner.classNode, owner.isStatic, name, cellFor(`${ownerText}.${name}`));
          }
        }
      }
      return undefined;
    };

    /**
     * What `this` is in the code being visited, when the path that led there knows better than the code's own class:
     * a base-class method reached through `this.m()` from a subclass runs with the subclass's `this`.
     */
    let receiver: ThisContext | undefined;

    const ownerOf = (object: TSESTree.Node, scope: Scope): ThisContext | undefined =>
      receiver && unwrapExpression(object).type === AST_NODE_TYPES.ThisExpression ? receiver : memberOwner(object, scope);

    /** `this` of a region as written: the class whose method, field or static block holds it. */
    const lexicalThis = (region: TSESTree.Node): ThisContext | undefined =>
      // A non-arrow function has its own `this`: look from inside its body, not from where it is written.
      isFunctionNode(region) && region.type !== AST_NODE_TYPES.ArrowFunctionExpression
        ? thisContext(region.body ?? region)
        : thisContext(region);

    /** The receiver a region runs with: the path's, when it is an instance of the region's class, else its own. */
    const receiverIn = (region: TSESTree.Node, pathReceiver: ThisContext | undefined): ThisContext | undefined => {
      const lexical = lexicalThis(region);
      if (
        pathReceiver &&
        lexical &&
        pathReceiver.isStatic === lexical.isStatic &&
        pathReceiver.classNode !== lexical.classNode &&
        isSameOrSubclass(pathReceiver.classNode, lexical.classNode, scopeOf(pathReceiver.classNode))
      ) {
        return pathReceiver;
      }
      return lexical;
    };

    /** The owner a member access resolved against, as the receiver its target runs with. */
    const receiverOf = (object: TSESTree.Node, scope: Scope): ThisContext | undefined => {
      const target = unwrapExpression(object);
      if (target.type === AST_NODE_TYPES.ThisExpression) return receiver ?? thisContext(target);
      if (target.type === AST_NODE_TYPES.Super) return receiver ?? thisContext(target);
      return memberOwner(object, scope);
    };

    /** The stored cell an expression denotes: `a`, `this.#cell`, `Config.cell`. */
    const resolveCell = (expression: TSESTree.Node): Cell | undefined => {
      const target = unwrapExpression(expression);
      if (target.type === AST_NODE_TYPES.Identifier) {
        if (cellsByVariable.size === 0) return undefined;
        const variable = ASTUtils.findVariable(scopeOf(target), target);
        return variable ? cellsByVariable.get(variable) : undefined;
      }
      if (target.type === AST_NODE_TYPES.MemberExpression && cellsByMember.size > 0) {
        const name = memberName(target.property, target.computed);
        const scope = scopeOf(target);
        const owner = name === undefined ? undefined : ownerOf(target.object, scope);
        if (!owner || name === undefined) return undefined;
        const key = memberKey(owner.isStatic, name);
        for (let classNode: ClassNode | undefined = owner.classNode, depth = 0; classNode && depth < MAX_INHERITANCE_DEPTH; depth++) {
          const cell = cellsByMember.get(classNode)?.get(key);
          if (cell) return cell;
          classNode = superClassOf(classNode, scope);
        }
      }
      return undefined;
    };

    /**
     * The cell a member access forces, with the initializer that runs if the cell is empty: `a.value`, `lock.force()`,
     * `cell.getOrInit(fn)`, `init.init(fn)`.
     */
    const forcedCell = (member: TSESTree.MemberExpression): Target | undefined => {
      const name = memberName(member.property, member.computed);
      if (name === undefined) return undefined;
      const cell = resolveCell(member.object);
      const forcing = cell ? FORCING_MEMBERS[cell.type][name] : undefined;
      if (!cell || !forcing) return undefined;
      const call = member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member ? member.parent : undefined;
      if (forcing.call !== (call !== undefined)) return undefined;
      const source = forcing.initializer;
      const initializer =
        source === 'construction' ? cell.initializer : source === 'none' ? undefined : call?.arguments[source.argument];
      return { kind: 'cell', cell, initializer };
    };

    const isCellInitializerArgument = (call: TSESTree.CallExpression | TSESTree.NewExpression, argument: TSESTree.Node): boolean => {
      if (call.type === AST_NODE_TYPES.NewExpression) return constructedCellType(call, scopeOf(call)) !== undefined;
      const callee = unwrapExpression(call.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const target = forcedCell(callee);
      return target?.kind === 'cell' && target.initializer === argument;
    };

    /**
     * A function written inside the code being followed runs as part of it when it is called on the spot (an IIFE) or
     * handed to another function, which is assumed to call it synchronously (`items.map(fn)`, `new Promise(fn)`),
     * except for timers and listener registration, and for promise continuations unless the origin is async. A
     * function that is only stored or returned does not run.
     */
    const runsNestedFunction = (fn: FunctionNode, followContinuations: boolean): boolean => {
      const parent = fn.parent;
      if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee === fn) return true;
      if (
        (parent.type !== AST_NODE_TYPES.CallExpression && parent.type !== AST_NODE_TYPES.NewExpression) ||
        !parent.arguments.includes(fn as TSESTree.CallExpressionArgument)
      ) {
        return false;
      }
      if (isCellInitializerArgument(parent, fn)) return false;
      const callee = calleeName(parent.callee);
      if (callee) {
        if (callee.method ? DEFERRING_METHODS.has(callee.name) : DEFERRING_FUNCTIONS.has(callee.name)) return false;
        if (callee.method && CONTINUATION_METHODS.has(callee.name)) return followContinuations;
      }
      return true;
    };

    /** The constructor that `new C()` runs, for a class declared in this file. */
    const constructorOf = (callee: TSESTree.Node): FunctionNode | undefined => {
      const target = unwrapExpression(callee);
      const classNode =
        target.type === AST_NODE_TYPES.Identifier
          ? classOfIdentifier(target, scopeOf(target))
          : target.type === AST_NODE_TYPES.ClassExpression
            ? target
            : undefined;
      const constructor = classNode?.body.body.find(
        (element): element is TSESTree.MethodDefinition => element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor',
      );
      return constructor?.value.type === AST_NODE_TYPES.FunctionExpression ? constructor.value : undefined;
    };

    const edgeCache = new Map<TSESTree.Node, Map<string, Edge[]>>();
    const classIds = new Map<ClassNode, number>();
    const cacheKey = (followContinuations: boolean, regionReceiver: ThisContext | undefined): string => {
      if (!regionReceiver) return `${followContinuations}`;
      let id = classIds.get(regionReceiver.classNode);
      if (id === undefined) classIds.set(regionReceiver.classNode, (id = classIds.size));
      return `${followContinuations} ${id} ${regionReceiver.isStatic}`;
    };

    /** The receiver a cell's initializer runs with: the owner of `this.#cell` in `this.#cell.getOrInit(...)`. */
    const cellReceiver = (member: TSESTree.MemberExpression): ThisContext | undefined => {
      const cellExpression = unwrapExpression(member.object);
      return cellExpression.type === AST_NODE_TYPES.MemberExpression
        ? receiverOf(cellExpression.object, scopeOf(cellExpression))
        : undefined;
    };

    /**
     * Every call, getter read and cell access that runs when `region` (a function or an expression) runs with
     * `regionReceiver` as its `this`.
     */
    const edgesOf = (region: TSESTree.Node, followContinuations: boolean, regionReceiver: ThisContext | undefined): Edge[] => {
      const key = cacheKey(followContinuations, regionReceiver);
      let byKey = edgeCache.get(region);
      const cached = byKey?.get(key);
      if (cached) return cached;
      if (!byKey) edgeCache.set(region, (byKey = new Map()));
      const outerReceiver = receiver;
      receiver = regionReceiver;
      const edges: Edge[] = [];
      const visit = (node: TSESTree.Node): void => {
        switch (node.type) {
          case AST_NODE_TYPES.ArrowFunctionExpression:
          case AST_NODE_TYPES.FunctionExpression:
          case AST_NODE_TYPES.FunctionDeclaration:
            if (node !== region && !runsNestedFunction(node, followContinuations)) return;
            break;
          case AST_NODE_TYPES.ClassDeclaration:
          case AST_NODE_TYPES.ClassExpression:
            return;
          case AST_NODE_TYPES.NewExpression:
            if (usesRuntime && constructedCellType(node, scopeOf(node))) {
              // The initializer handed to a new cell runs later, when that cell is first forced.
              node.arguments.slice(1).forEach(visit);
              return;
            }
            {
              const constructor = constructorOf(node.callee);
              if (constructor) {
                edges.push({
                  target: { kind: 'function', fn: constructor },
                  label: `new ${calleeName(node.callee)?.name ?? 'class'}()`,
                  receiver: lexicalThis(constructor),
                });
              }
            }
            break;
          case AST_NODE_TYPES.CallExpression: {
            const callee = unwrapExpression(node.callee);
            const cellTarget = callee.type === AST_NODE_TYPES.MemberExpression ? forcedCell(callee) : undefined;
            if (cellTarget?.kind === 'cell' && callee.type === AST_NODE_TYPES.MemberExpression) {
              edges.push({ target: cellTarget, label: cellTarget.cell.label, receiver: cellReceiver(callee) });
            } else if (!isFunctionNode(callee)) {
              const scope = scopeOf(node);
              const fn = resolveCallee(callee, scope, ownerOf);
              if (fn) {
                const calleeReceiver = callee.type === AST_NODE_TYPES.MemberExpression ? receiverOf(callee.object, scope) : undefined;
                edges.push({ target: { kind: 'function', fn }, label: functionLabel(fn), receiver: calleeReceiver });
              }
            }
            break;
          }
          case AST_NODE_TYPES.MemberExpression: {
            const parent = node.parent;
            const isCallee = parent.type === AST_NODE_TYPES.CallExpression && parent.callee === node;
            const isWritten =
              (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) ||
              (parent.type === AST_NODE_TYPES.UpdateExpression) ||
              (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'delete');
            if (isCallee || isWritten) break;
            const cellTarget = forcedCell(node);
            if (cellTarget?.kind === 'cell') {
              edges.push({ target: cellTarget, label: cellTarget.cell.label, receiver: cellReceiver(node) });
              break;
            }
            const name = memberName(node.property, node.computed);
            const scope = scopeOf(node);
            const owner = name === undefined ? undefined : ownerOf(node.object, scope);
            const literal = owner || name === undefined ? undefined : objectLiteralOf(node.object, scope);
            const getter =
              owner && name !== undefined
                ? classGetter(owner.classNode, owner.isStatic, name, scope)
                : literal && name !== undefined
                  ? objectMember(literal, name, 'getter')
                  : undefined;
            if (getter) {
              edges.push({ target: { kind: 'function', fn: getter }, label: functionLabel(getter), receiver: receiverOf(node.object, scope) });
            }
            break;
          }
          default:
            if (node.type.startsWith('TS') && !node.type.endsWith('Expression')) return;
            break;
        }
        const keys = visitorKeys[node.type] ?? [];
        for (const key of keys) {
          if (SKIPPED_KEYS.has(key)) continue;
          const child = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(child)) {
            for (const item of child) if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
          } else if (child && typeof child === 'object' && 'type' in child) {
            visit(child as TSESTree.Node);
          }
        }
      };
      try {
        visit(region);
      } finally {
        receiver = outerReceiver;
      }
      byKey.set(key, edges);
      return edges;
    };

    /** The code that runs as an initializer: a function written in place or named, else nothing the rule can follow. */
    const initializerRegion = (initializer: TSESTree.Node | undefined): TSESTree.Node | undefined => {
      if (!initializer) return undefined;
      const target = unwrapExpression(initializer);
      if (isFunctionNode(target)) return target;
      if (target.type === AST_NODE_TYPES.Identifier || target.type === AST_NODE_TYPES.MemberExpression) {
        return resolveCallee(target, scopeOf(target));
      }
      return undefined;
    };

    /** A cell whose initializer is a function named elsewhere (`new LazyCell(build)`) shows it in the path. */
    const namedInitializer = (initializer: TSESTree.Node | undefined, region: TSESTree.Node): string[] =>
      initializer && isFunctionNode(region) && unwrapExpression(initializer) !== region ? [functionLabel(region)] : [];

    const isOrigin = (origin: Origin, target: Target): boolean =>
      origin.kind === 'cell' ? target.kind === 'cell' && target.cell === origin.cell : target.kind === 'function' && target.fn === origin.fn;

    /** The shortest path (breadth first, at most `maxDepth` steps) from the origin's initializer back to the origin. */
    const findCycle = (origin: Origin, start: TSESTree.Node): string[] | undefined => {
      const originLabel = origin.kind === 'cell' ? origin.cell.label : origin.label;
      const followContinuations = origin.kind === 'cell' ? isAsyncCellType(origin.cell.type) : false;
      const seen = new Set<TSESTree.Node>([start]);
      let frontier: { region: TSESTree.Node; receiver: ThisContext | undefined; path: string[] }[] = [
        { region: start, receiver: lexicalThis(start), path: [originLabel, ...namedInitializer(origin.initializer, start)] },
      ];
      for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
        const next: typeof frontier = [];
        for (const { region, receiver: regionReceiver, path } of frontier) {
          for (const edge of edgesOf(region, followContinuations, regionReceiver)) {
            if (isOrigin(origin, edge.target)) return [...path, originLabel];
            const nextRegion = edge.target.kind === 'function' ? edge.target.fn : initializerRegion(edge.target.initializer);
            // First visit wins: breadth first, it is on a shortest path.
            if (!nextRegion || seen.has(nextRegion)) continue;
            seen.add(nextRegion);
            const steps = edge.target.kind === 'cell' ? [edge.label, ...namedInitializer(edge.target.initializer, nextRegion)] : [edge.label];
            next.push({ region: nextRegion, receiver: receiverIn(nextRegion, edge.receiver), path: [...path, ...steps] });
          }
        }
        frontier = next;
      }
      return undefined;
    };

    const check = (origin: Origin): void => {
      const region = origin.kind === 'cell' ? initializerRegion(origin.initializer) : origin.initializer;
      if (!region) return;
      const path = findCycle(origin, region);
      if (!path) return;
      const messageId: MessageIds =
        origin.kind === 'accessor'
          ? origin.async
            ? 'reentrantAsyncAccessor'
            : 'reentrantAccessor'
          : isAsyncCellType(origin.cell.type)
            ? 'reentrantLock'
            : 'reentrantCell';
      context.report({
        node: origin.initializer,
        messageId,
        data: { cell: origin.kind === 'cell' ? origin.cell.label : origin.label, path: `\`${path.join(' -> ')}\`` },
      });
    };

    /** Hand-rolled sites that hand their slot out through an accessor: reaching the accessor again re-enters. */
    const accessorOrigins = (): Origin[] => {
      const { scopeManager } = sourceCode;
      if (!scopeManager) return [];
      const origins: Origin[] = [];
      for (const site of analyzeProgram(sourceCode.ast, { scopeManager, sourceCode })) {
        const fn = site.accessor?.node;
        if (!fn || !isFunctionNode(fn)) continue;
        origins.push({
          kind: 'accessor',
          fn,
          label: functionLabel(fn),
          initializer: site.initializer.node,
          async: site.initializer.kind !== 'sync' || site.accessor!.async,
        });
      }
      return origins;
    };

    /** Every initializer of the file: cells' (once every cell is known) and hand-rolled sites'. */
    const checkAll = (): void => {
      const stored = constructions.map(({ node, type }) => storeCell(node, type));
      for (const cell of stored) {
        if (cell?.initializer) check({ kind: 'cell', cell, initializer: cell.initializer });
      }
      for (const call of perCallInitializers) {
        const target = forcedCell(call.callee as TSESTree.MemberExpression);
        if (target?.kind === 'cell' && target.initializer) check({ kind: 'cell', cell: target.cell, initializer: target.initializer });
      }
      for (const origin of accessorOrigins()) check(origin);
    };

    // Files that never mention the runtime have no cells: they only need the hand-rolled sites, at the end.
    if (!usesRuntime) return { 'Program:exit': checkAll };
    return {
      NewExpression(node) {
        const type = constructedCellType(node, scopeOf(node));
        if (type) constructions.push({ node, type });
      },
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression || node.arguments.length === 0) return;
        const name = memberName(node.callee.property, node.callee.computed);
        if (name === 'getOrInit' || name === 'init') perCallInitializers.push(node);
      },
      'Program:exit': checkAll,
    };
  },
});

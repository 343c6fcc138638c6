import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { analyzeProgram } from '../analysis/index.js';
import { createRule } from '../utils/create-rule.js';
import {
  type ClassNode,
  type FunctionNode,
  classGetter,
  classOfIdentifier,
  functionLabel,
  isFunctionNode,
  memberName,
  memberOwner,
  resolveCallee,
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
        'The initializer of `{{cell}}` reaches `{{cell}}` again before it returns ({{path}}), so it throws `ReentrantInitError` at run time instead of producing a value.',
      reentrantLock:
        'The initializer of `{{cell}}` waits on `{{cell}}` again before it settles ({{path}}), so it rejects with `ReentrantInitError` at run time instead of producing a value.',
      reentrantAccessor:
        'The initializer of `{{cell}}` calls `{{cell}}` again before the value is stored ({{path}}), so each call starts the initializer anew and it recurses until the stack overflows.',
      reentrantAsyncAccessor:
        'The initializer of `{{cell}}` calls `{{cell}}` again before the value is stored ({{path}}), so it either starts the initializer anew until the stack overflows or, once its promise is stored, waits on itself forever.',
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

    const addMember = (classNode: ClassNode, isStatic: boolean, name: string, cell: Cell): Cell => {
      let members = cellsByMember.get(classNode);
      if (!members) cellsByMember.set(classNode, (members = new Map()));
      members.set(memberKey(isStatic, name), cell);
      return cell;
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
        const owner = name === undefined ? undefined : memberOwner(target.object, scopeOf(target));
        if (!owner || name === undefined) return undefined;
        return cellsByMember.get(owner.classNode)?.get(memberKey(owner.isStatic, name));
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
      const initializer = forcing.initializerIndex < 0 ? cell.initializer : call?.arguments[forcing.initializerIndex];
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
        target.type === AST_NODE_TYPES.Identifier ? classOfIdentifier(target, scopeOf(target)) : target.type === AST_NODE_TYPES.ClassExpression ? target : undefined;
      const constructor = classNode?.body.body.find(
        (element): element is TSESTree.MethodDefinition => element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor',
      );
      return constructor?.value.type === AST_NODE_TYPES.FunctionExpression ? constructor.value : undefined;
    };

    const edgeCache = new Map<TSESTree.Node, Edge[]>();
    const continuationEdgeCache = new Map<TSESTree.Node, Edge[]>();

    /** Every call, getter read and cell access that runs when `region` (a function or an expression) runs. */
    const edgesOf = (region: TSESTree.Node, followContinuations: boolean): Edge[] => {
      const cache = followContinuations ? continuationEdgeCache : edgeCache;
      const cached = cache.get(region);
      if (cached) return cached;
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
              if (constructor) edges.push({ target: { kind: 'function', fn: constructor }, label: `new ${calleeName(node.callee)?.name ?? 'class'}()` });
            }
            break;
          case AST_NODE_TYPES.CallExpression: {
            const callee = unwrapExpression(node.callee);
            const cellTarget = callee.type === AST_NODE_TYPES.MemberExpression ? forcedCell(callee) : undefined;
            if (cellTarget?.kind === 'cell') {
              edges.push({ target: cellTarget, label: cellTarget.cell.label });
            } else if (!isFunctionNode(callee)) {
              const fn = resolveCallee(callee, scopeOf(node));
              if (fn) edges.push({ target: { kind: 'function', fn }, label: functionLabel(fn) });
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
            if (cellTarget) {
              edges.push({ target: cellTarget, label: cellTarget.kind === 'cell' ? cellTarget.cell.label : '' });
              break;
            }
            const name = memberName(node.property, node.computed);
            const owner = name === undefined ? undefined : memberOwner(node.object, scopeOf(node));
            const getter = owner && name !== undefined ? classGetter(owner.classNode, owner.isStatic, name) : undefined;
            if (getter) edges.push({ target: { kind: 'function', fn: getter }, label: functionLabel(getter) });
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
      visit(region);
      cache.set(region, edges);
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
      let frontier: { region: TSESTree.Node; path: string[] }[] = [
        { region: start, path: [originLabel, ...namedInitializer(origin.initializer, start)] },
      ];
      for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
        const next: typeof frontier = [];
        for (const { region, path } of frontier) {
          for (const edge of edgesOf(region, followContinuations)) {
            if (isOrigin(origin, edge.target)) return [...path, originLabel];
            const nextRegion = edge.target.kind === 'function' ? edge.target.fn : initializerRegion(edge.target.initializer);
            if (!nextRegion || seen.has(nextRegion)) continue;
            seen.add(nextRegion);
            const steps = edge.target.kind === 'cell' ? [edge.label, ...namedInitializer(edge.target.initializer, nextRegion)] : [edge.label];
            next.push({ region: nextRegion, path: [...path, ...steps] });
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

    return {
      NewExpression(node) {
        if (!usesRuntime) return;
        const type = constructedCellType(node, scopeOf(node));
        if (type) constructions.push({ node, type });
      },
      CallExpression(node) {
        if (!usesRuntime || node.callee.type !== AST_NODE_TYPES.MemberExpression || node.arguments.length === 0) return;
        const name = memberName(node.callee.property, node.callee.computed);
        if (name === 'getOrInit' || name === 'init') perCallInitializers.push(node);
      },
      'Program:exit'() {
        const stored = constructions.map(({ node, type }) => storeCell(node, type));
        for (const cell of stored) {
          if (cell?.initializer) check({ kind: 'cell', cell, initializer: cell.initializer });
        }
        for (const call of perCallInitializers) {
          const target = forcedCell(call.callee as TSESTree.MemberExpression);
          if (target?.kind === 'cell' && target.initializer) check({ kind: 'cell', cell: target.cell, initializer: target.initializer });
        }
        for (const origin of accessorOrigins()) check(origin);
      },
    };
  },
});

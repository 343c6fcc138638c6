/**
 * The lazy-site analysis: from a parsed program and its scopes to the `LazySite`s of DESIGN.md section 3.
 *
 * Invariants a site satisfies:
 * - its slot outlives the call that holds the guard (a module or outer-function binding, a field of `this`, of a class,
 *   of a long-lived object literal, or of the global object), never a parameter or a local of that call;
 * - the guard and its store sit in the same function, and that function runs on demand (not a constructor, a field
 *   initializer, a static block or the module top level);
 * - the store puts a created value into the slot (not `true`, not `undefined`, not an empty container that is mutated
 *   right away), and nothing resets the slot on settle (single-flight promises) or on a timer (TTL caches).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Reference, Variable } from '@typescript-eslint/scope-manager';
import type * as ts from 'typescript';
import {
  collectDeep,
  collectShallow,
  contains,
  containerOf,
  emptyValueOf,
  isFunction,
  isNullLiteral,
  outerParent,
  propertyName,
  unwrap,
  walk,
  type Node,
  type ParentMap,
} from './ast.js';
import type {
  Accessor,
  AccessorKind,
  AnalysisContext,
  EmptyValues,
  Guard,
  GuardKind,
  Initializer,
  InitializerKind,
  LazySite,
  PromiseEvidence,
  ReadRole,
  Slot,
  SiteContext,
  SlotKind,
  SlotPath,
  SlotRead,
  SlotScopeKind,
  StoreForm,
  WeighedSignal,
  Writer,
  WriterKind,
} from './types.js';

const plainCache = new WeakMap<TSESTree.Program, readonly LazySite[]>();
const typedCache = new WeakMap<TSESTree.Program, readonly LazySite[]>();

/**
 * Finds the lazy sites of a program. The result is cached per program (separately with and without type
 * information), so several rules of one lint run analyse a file once.
 */
export function analyzeProgram(program: TSESTree.Program, context: AnalysisContext): readonly LazySite[] {
  const cache = context.typeInfo ? typedCache : plainCache;
  const cached = cache.get(program);
  if (cached) return cached;
  const sites = Object.freeze(new Analyzer(program, context).run());
  cache.set(program, sites);
  return sites;
}

/** The global objects whose properties are process-wide slots. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
const PROMISE_STATICS = new Set(['resolve', 'reject', 'all', 'allSettled', 'any', 'race', 'try', 'withResolvers']);
const EMPTY_CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);
const CLOCK_CALLS = new Set(['Date.now', 'performance.now', 'process.hrtime']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const PROMISE_NAME = /promise|^_?(loading|pending|inflight)$/i;
/** Calls that return booleans: `isX ||= hasY()` accumulates a flag. */
const BOOLEAN_CALL = /^(is|has|can|should|includes|contains|matches|some|every|test)([A-Z_]|$)/;
/** A promise kept by a thenable's own `then`/`catch`/`finally` is the operation's result, rejection included. */
const THENABLE_METHODS = new Set(['then', 'catch', 'finally']);
/**
 * Methods that run an operation once. A promise they cache (`return (this.#closing ??= this.#shutdown())`) is an
 * idempotent shutdown, which is a promise cache; any other slot they fill is state of the operation, not a value.
 */
const ONCE_OPERATION = /^_?(close|dispose|destroy|stop|shutdown|teardown|terminate|disconnect|cleanup|unmount)/i;
/** Names of module constants that mark a slot as not computed yet. */
const SENTINEL_NAME = /^_?(UNSET|UNINITIALI[SZ]ED|NOT_?(SET|LOADED|COMPUTED|INITIALI[SZ]ED|READY)|NO_?VALUE|EMPTY_?(SLOT|VALUE)?|SENTINEL|NOTHING|PENDING_?VALUE)$/i;
/** Calls that only report or announce: a flag in front of them alone fires an event, it guards no work. */
const EVENT_CALLS = /^(emit|emitWarning|dispatch|dispatchEvent|trigger|fire|notify|warn|log|info|debug|error|trace|deprecate|deprecation|postMessage|report)$/;
/** Names of teardowns, and of the final states a flag records: a once-flag there guards no initialization. */
const TEARDOWN = /(close|dispose|destroy|stop|shutdown|teardown|terminate|disconnect|clean|unmount|release|delete|abort|cancel|kill|exit|finish|settle|end$)/i;
const TERMINAL_STATE = /(closed|closing|disposed|disposing|destroyed|stopped|stopping|released|deleted|aborted|cancell?ed|killed|exiting|exited|finished|settled|fired|done|ended|torn|flushed|cleanedUp|disconnected)/i;
/** Calls that run a callback during the call itself. */
const ITERATION_CALLS = /^(forEach|map|flatMap|filter|reduce|reduceRight|some|every|find|findIndex|findLast|sort|replace|replaceAll|visit|traverse|walk|forEachChild|each)$/;
/** Methods that add to a container. */
const MUTATORS = new Set(['push', 'unshift', 'set', 'add', 'splice', 'append']);
const REPORTED_STATE = /(warned|warning|didWarn|hinted|reported|logged|notified|printed|shown)/i;
/** Callbacks that settle or signal completion: a flag in front of them makes a callback idempotent, no work. */
const SETTLE_CALLS = /^(resolve|reject|done|finish|finished|callback|cb|next|complete|settle|onDone|onComplete)$/;
const TIMER_CALLS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'requestAnimationFrame', 'requestIdleCallback']);

interface SlotRef {
  readonly key: string;
  readonly kind: SlotKind;
  readonly name: string;
  readonly property: string;
  readonly private: boolean;
  readonly declaration: Node | undefined;
  readonly typeAnnotation: TSESTree.TypeNode | undefined;
  readonly scopeKind: SlotScopeKind;
  readonly variable: Variable | undefined;
  readonly owner: Node | undefined;
  readonly ownerName: string | undefined;
  readonly exported: boolean;
  /** For `closure` and `object`-through-binding slots: the function whose calls create the binding. */
  readonly bindingFunction: Node | undefined;
  readonly path: SlotPath;
}

interface ThisOwner {
  readonly kind: 'instance' | 'static' | 'object';
  readonly owner: Node;
  readonly ownerName: string | undefined;
  readonly ownerKey: string;
}

interface Candidate {
  readonly slot: SlotRef;
  readonly kind: GuardKind;
  readonly node: Node;
  readonly test: Node;
  readonly read: Node;
  readonly empty: EmptyValues;
  readonly earlyReturnTest?: EmptyValues;
  readonly store: TSESTree.AssignmentExpression;
  readonly init: TSESTree.Expression;
  readonly aliases: readonly Variable[];
  /** Where awaits between the guard and the store are searched: nodes, each up to the store's end. */
  readonly region: readonly Node[];
  /** How the guarded path stores (see `StoreForm`); `direct` unless the store sits in branches. */
  readonly storeForm: StoreForm;
  /** For `branches`: the stores of the other branches, in source order (`store` is the first). */
  readonly branchStores: readonly TSESTree.AssignmentExpression[];
}

type FoundStore = { store: TSESTree.AssignmentExpression; init: TSESTree.Expression; aliases: Variable[] };

interface Access {
  readonly node: Node;
  readonly write: boolean;
  readonly read: boolean;
}

interface EmptyTest {
  readonly subject: Node;
  readonly empty: EmptyValues;
  /** The test is true when the slot is empty (`!x`), as opposed to when it is filled (`x`, `x !== undefined`). */
  readonly whenEmpty: boolean;
}

class Analyzer {
  private readonly parents: ParentMap;
  private readonly references = new Map<Node, Reference>();
  private readonly ifs: TSESTree.IfStatement[] = [];
  private readonly assignments: TSESTree.AssignmentExpression[] = [];
  private readonly logicals: TSESTree.LogicalExpression[] = [];
  private readonly conditionals: TSESTree.ConditionalExpression[] = [];
  private readonly members: TSESTree.MemberExpression[] = [];
  private readonly slotCache = new Map<Node, SlotRef | null>();
  private readonly accessCache = new Map<string, Access[]>();
  /** The stores of every candidate: a second guard's store of a slot is no other writer of the first. */
  private readonly candidateStores = new Set<Node>();

  constructor(
    private readonly program: TSESTree.Program,
    private readonly context: AnalysisContext,
  ) {
    this.parents = walk(program, (node) => {
      switch (node.type) {
        case AST_NODE_TYPES.IfStatement:
          this.ifs.push(node);
          break;
        case AST_NODE_TYPES.AssignmentExpression:
          this.assignments.push(node);
          break;
        case AST_NODE_TYPES.LogicalExpression:
          this.logicals.push(node);
          break;
        case AST_NODE_TYPES.ConditionalExpression:
          this.conditionals.push(node);
          break;
        case AST_NODE_TYPES.MemberExpression:
          this.members.push(node);
          break;
        default:
          break;
      }
    });
    for (const scope of context.scopeManager.scopes) {
      for (const reference of scope.references) this.references.set(reference.identifier, reference);
    }
  }

  run(): LazySite[] {
    const candidates = this.findCandidates();
    for (const candidate of candidates) {
      this.candidateStores.add(candidate.store);
      for (const store of candidate.branchStores) this.candidateStores.add(store);
    }
    const accepted = candidates.filter((candidate) => this.accept(candidate));
    const perSlot = new Map<string, number>();
    for (const candidate of accepted) perSlot.set(candidate.slot.key, (perSlot.get(candidate.slot.key) ?? 0) + 1);
    const storesBySlot = new Map<string, Set<Node>>();
    for (const candidate of accepted) {
      let set = storesBySlot.get(candidate.slot.key);
      if (!set) storesBySlot.set(candidate.slot.key, (set = new Set()));
      set.add(candidate.store);
      for (const store of candidate.branchStores) set.add(store);
    }
    const sites: LazySite[] = [];
    for (const candidate of accepted) {
      const site = this.buildSite(candidate, perSlot.get(candidate.slot.key) === 1, storesBySlot.get(candidate.slot.key)!);
      if (site) sites.push(site);
    }
    return sites.sort((a, b) => a.guard.node.range[0] - b.guard.node.range[0]);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Slots
  // -------------------------------------------------------------------------------------------------------------

  private text(node: Node): string {
    const source = this.context.sourceCode?.text;
    return source === undefined ? '' : source.slice(node.range[0], node.range[1]);
  }

  private variableOf(identifier: Node): Variable | undefined {
    return this.references.get(identifier)?.resolved ?? undefined;
  }

  /** The identifier names a global of the platform (unresolved, or a lib global without a declaration). */
  private isGlobal(identifier: Node): boolean {
    const variable = this.variableOf(identifier);
    return !variable || variable.defs.length === 0;
  }

  /** The slot an expression denotes, when it denotes one that can outlive a call. */
  slotOf(expression: Node): SlotRef | undefined {
    const node = unwrap(expression);
    const cached = this.slotCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const slot = this.computeSlot(node);
    this.slotCache.set(node, slot ?? null);
    return slot;
  }

  private computeSlot(node: Node): SlotRef | undefined {
    if (node.type === AST_NODE_TYPES.Identifier) return this.bindingSlot(node);
    if (node.type !== AST_NODE_TYPES.MemberExpression || node.optional) return undefined;
    const property = this.memberProperty(node);
    if (property === undefined) return undefined;
    const isPrivate = property.startsWith('#');
    const bare = isPrivate ? property.slice(1) : property;
    const object = unwrap(node.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const owner = this.thisOwner(node);
      if (!owner) return undefined;
      return this.memberSlot(owner, property, bare, isPrivate);
    }
    if (object.type === AST_NODE_TYPES.MemberExpression) return this.nestedSlot(node, object, property, bare);
    if (object.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.variableOf(object);
    // Lib globals (`globalThis` from the TypeScript libs) resolve to a variable without a declaration.
    if (!variable || variable.defs.length === 0) {
      if (!GLOBAL_OBJECTS.has(object.name) || isPrivate) return undefined;
      return {
        key: `global:${property}`,
        kind: 'global',
        name: `${object.name}${node.computed ? `[${this.text(node.property) || property}]` : `.${property}`}`,
        property: bare,
        private: false,
        declaration: undefined,
        typeAnnotation: undefined,
        scopeKind: 'global',
        variable: undefined,
        owner: undefined,
        ownerName: undefined,
        exported: false,
        bindingFunction: undefined,
        path: 'direct',
      };
    }
    const def = variable.defs[0];
    if (!def) return undefined;
    if (def.type === 'Parameter') return this.parameterSlot(node, variable, property, bare, isPrivate);
    if (def.type === 'ClassName' && (def.node.type === AST_NODE_TYPES.ClassDeclaration || def.node.type === AST_NODE_TYPES.ClassExpression)) {
      return this.memberSlot(this.classOwner(def.node, true), property, bare, isPrivate);
    }
    if (def.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
    const init = unwrap(def.node.init);
    // `const g = globalThis as any; g.__x`: a local name for the global object.
    if (init.type === AST_NODE_TYPES.Identifier && def.parent?.kind === 'const' && GLOBAL_OBJECTS.has(init.name) && this.isGlobal(init) && !isPrivate) {
      return {
        key: `global:${property}`,
        kind: 'global',
        name: this.text(node) || `${object.name}.${property}`,
        property: bare,
        private: false,
        declaration: undefined,
        typeAnnotation: undefined,
        scopeKind: 'global',
        variable: undefined,
        owner: undefined,
        ownerName: undefined,
        exported: false,
        bindingFunction: undefined,
        path: 'global-alias',
      };
    }
    if (init.type === AST_NODE_TYPES.ClassExpression && def.parent?.kind === 'const') {
      return this.memberSlot(this.classOwner(init, true), property, bare, isPrivate);
    }
    if (init.type === AST_NODE_TYPES.ObjectExpression) {
      const owner: ThisOwner = { kind: 'object', owner: init, ownerName: variable.name, ownerKey: `object:${init.range[0]}` };
      const slot = this.memberSlot(owner, property, bare, isPrivate);
      const bindingScope = variable.scope.variableScope;
      const bindingFunction = isFunction(bindingScope.block) ? bindingScope.block : undefined;
      return { ...slot, variable, exported: slot.exported || this.isExported(variable), bindingFunction };
    }
    return undefined;
  }

  /**
   * `this.state.client`, `cache.parsers.babel`: a member of a direct member slot, one level deep. Its object is shared
   * with every other reader of the outer slot.
   */
  private nestedSlot(node: TSESTree.MemberExpression, object: TSESTree.MemberExpression, property: string, bare: string): SlotRef | undefined {
    if (property.startsWith('#')) return undefined;
    const outer = this.slotOf(object);
    if (!outer || outer.path !== 'direct' || outer.kind === 'global') return undefined;
    return {
      ...outer,
      key: `${outer.key}.${property}`,
      name: this.text(node) || `${outer.name}.${property}`,
      property: bare,
      private: false,
      declaration: undefined,
      typeAnnotation: undefined,
      path: 'nested',
    };
  }

  /**
   * `ctx._cache`: a member of a parameter, taken as a slot only when its name says it is private to the code that
   * fills it (a leading or trailing `_`); `options.x ??= ...` on a parameter is option defaulting.
   */
  private parameterSlot(node: TSESTree.MemberExpression, variable: Variable, property: string, bare: string, isPrivate: boolean): SlotRef | undefined {
    if (isPrivate || !/^_|_$/.test(bare)) return undefined;
    return {
      key: `param:${variable.name}@${variable.defs[0]!.name.range[0]}.${property}`,
      kind: 'object',
      name: this.text(node) || `${variable.name}.${property}`,
      property: bare,
      private: false,
      declaration: undefined,
      typeAnnotation: undefined,
      scopeKind: 'function',
      variable: undefined,
      owner: undefined,
      ownerName: variable.name,
      exported: false,
      bindingFunction: undefined,
      path: 'parameter',
    };
  }

  private memberProperty(node: TSESTree.MemberExpression): string | undefined {
    const name = propertyName(node.property, node.computed);
    if (name === undefined) return undefined;
    if (node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
      // `obj[key]` is a keyed cache unless `key` is a module-level constant (a symbol or a fixed string).
      const variable = this.variableOf(node.property);
      const def = variable?.defs[0];
      if (!variable || !def || def.type !== 'Variable' || def.parent?.kind !== 'const') return undefined;
      const scopeType = variable.scope.variableScope.type;
      if (scopeType !== 'module' && scopeType !== 'global' && !(scopeType === 'function' && variable.scope.variableScope.block.type === AST_NODE_TYPES.Program)) {
        return undefined;
      }
    }
    return name;
  }

  private bindingSlot(identifier: TSESTree.Identifier): SlotRef | undefined {
    const variable = this.variableOf(identifier);
    const def = variable?.defs[0];
    if (!variable || !def || def.type !== 'Variable' || variable.defs.length !== 1) return undefined;
    const declaration = def.parent;
    if (!declaration || declaration.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
    if (declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
    if (def.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variableScope = variable.scope.variableScope;
    const topLevel =
      variableScope.type === 'module' ||
      variableScope.type === 'global' ||
      (variableScope.type === 'function' && variableScope.block.type === AST_NODE_TYPES.Program);
    const scopeKind: SlotScopeKind =
      variable.scope.type === 'block' || variable.scope.type === 'for' || variable.scope.type === 'switch'
        ? 'block'
        : topLevel
          ? 'module'
          : 'function';
    const bindingFunction = topLevel ? undefined : variableScope.block;
    return {
      key: `var:${variable.name}@${def.node.range[0]}`,
      kind: topLevel ? 'module' : 'closure',
      name: variable.name,
      property: variable.name,
      private: false,
      declaration: def.node,
      typeAnnotation: def.node.id.typeAnnotation?.typeAnnotation,
      scopeKind,
      variable,
      owner: bindingFunction,
      ownerName: undefined,
      exported: this.isExported(variable),
      bindingFunction,
      path: 'direct',
    };
  }

  private isExported(variable: Variable): boolean {
    for (const def of variable.defs) {
      let node: Node | undefined = def.node;
      while (node && node.type !== AST_NODE_TYPES.Program) {
        if (node.type === AST_NODE_TYPES.ExportNamedDeclaration || node.type === AST_NODE_TYPES.ExportDefaultDeclaration) return true;
        if (isFunction(node) || node.type === AST_NODE_TYPES.ClassBody) break;
        node = this.parents.get(node);
      }
    }
    return variable.references.some((reference) => {
      const parent = this.parents.get(reference.identifier);
      return parent?.type === AST_NODE_TYPES.ExportSpecifier || parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
    });
  }

  private classOwner(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, isStatic: boolean): ThisOwner {
    let name = cls.id?.name;
    if (!name) {
      const parent = this.parents.get(cls);
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) name = parent.id.name;
    }
    return { kind: isStatic ? 'static' : 'instance', owner: cls, ownerName: name, ownerKey: `${isStatic ? 'static' : 'instance'}:${cls.range[0]}` };
  }

  private isClassExported(cls: Node): boolean {
    const parent = this.parents.get(cls);
    if (parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return true;
    if (cls.type === AST_NODE_TYPES.ClassDeclaration && cls.id) {
      const variable = this.context.scopeManager.getDeclaredVariables(cls)[0];
      if (variable) return this.isExported(variable);
    }
    return false;
  }

  private memberSlot(owner: ThisOwner, property: string, bare: string, isPrivate: boolean): SlotRef {
    let declaration: Node | undefined;
    if (owner.kind === 'object' && owner.owner.type === AST_NODE_TYPES.ObjectExpression) {
      declaration = owner.owner.properties.find(
        (p) => p.type === AST_NODE_TYPES.Property && p.kind === 'init' && !p.method && propertyName(p.key, p.computed) === property,
      );
    } else if (owner.owner.type === AST_NODE_TYPES.ClassDeclaration || owner.owner.type === AST_NODE_TYPES.ClassExpression) {
      declaration = owner.owner.body.body.find(
        (m) =>
          (m.type === AST_NODE_TYPES.PropertyDefinition || m.type === AST_NODE_TYPES.AccessorProperty) &&
          m.static === (owner.kind === 'static') &&
          propertyName(m.key, m.computed) === property,
      );
    }
    const typeAnnotation =
      declaration && (declaration.type === AST_NODE_TYPES.PropertyDefinition || declaration.type === AST_NODE_TYPES.AccessorProperty)
        ? declaration.typeAnnotation?.typeAnnotation
        : undefined;
    const ownerText = owner.kind === 'static' && owner.ownerName ? owner.ownerName : owner.kind === 'object' && owner.ownerName ? owner.ownerName : 'this';
    const access = /^[A-Za-z_$#][\w$]*$/.test(property) ? `.${property}` : `[${property.startsWith('[') ? property.slice(1, -1) : JSON.stringify(property)}]`;
    return {
      key: `${owner.ownerKey}.${property}`,
      kind: owner.kind,
      name: `${ownerText}${access}`,
      property: bare,
      private: isPrivate,
      declaration,
      typeAnnotation,
      scopeKind: owner.kind === 'object' ? 'function' : 'class',
      variable: undefined,
      owner: owner.owner,
      ownerName: owner.ownerName,
      // A TypeScript `private` member is not part of the class's API even when the class is exported.
      exported:
        owner.kind !== 'object' &&
        !isPrivate &&
        !(declaration?.type === AST_NODE_TYPES.PropertyDefinition && declaration.accessibility === 'private') &&
        this.isClassExported(owner.owner),
      bindingFunction: undefined,
      path: 'direct',
    };
  }

  /** What `this` is at `node`: an instance, a class (static context) or an object literal. */
  private thisOwner(node: Node): ThisOwner | undefined {
    let child: Node = node;
    let current = this.parents.get(node);
    while (current) {
      if (current.type === AST_NODE_TYPES.ArrowFunctionExpression) {
        child = current;
        current = this.parents.get(current);
        continue;
      }
      if (current.type === AST_NODE_TYPES.FunctionExpression) {
        const parent = this.parents.get(current);
        if (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.TSAbstractMethodDefinition) {
          const cls = this.parents.get(this.parents.get(parent)!);
          if (cls && (cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression)) {
            return this.classOwner(cls, parent.static);
          }
          return undefined;
        }
        if (parent?.type === AST_NODE_TYPES.Property) {
          const object = this.parents.get(parent);
          if (object?.type === AST_NODE_TYPES.ObjectExpression) {
            return { kind: 'object', owner: object, ownerName: this.objectName(object), ownerKey: `object:${object.range[0]}` };
          }
          return undefined;
        }
        if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current) {
          // `Foo.prototype.bar = function () { this.x ... }`
          const left = parent.left;
          if (
            left.type === AST_NODE_TYPES.MemberExpression &&
            left.object.type === AST_NODE_TYPES.MemberExpression &&
            propertyName(left.object.property, left.object.computed) === 'prototype' &&
            left.object.object.type === AST_NODE_TYPES.Identifier
          ) {
            const name = left.object.object.name;
            return { kind: 'instance', owner: left.object.object, ownerName: name, ownerKey: `prototype:${name}` };
          }
        }
        return undefined;
      }
      if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.AccessorProperty) {
        if (current.value !== child) return undefined;
        const cls = this.parents.get(this.parents.get(current)!);
        if (cls && (cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression)) {
          return this.classOwner(cls, current.static);
        }
        return undefined;
      }
      if (current.type === AST_NODE_TYPES.StaticBlock) {
        const cls = this.parents.get(this.parents.get(current)!);
        if (cls && (cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression)) {
          return this.classOwner(cls, true);
        }
        return undefined;
      }
      if (current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.Program) return undefined;
      child = current;
      current = this.parents.get(current);
    }
    return undefined;
  }

  private objectName(object: TSESTree.ObjectExpression): string | undefined {
    const parent = this.parents.get(object);
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
    return undefined;
  }

  /** Every access (read or write) of a slot in the file. */
  private accessesOf(slot: SlotRef): Access[] {
    const cached = this.accessCache.get(slot.key);
    if (cached) return cached;
    const accesses: Access[] = [];
    if (slot.kind === 'module' || slot.kind === 'closure') {
      for (const reference of slot.variable?.references ?? []) {
        if (reference.init) continue;
        accesses.push({ node: reference.identifier, read: reference.isRead(), write: reference.isWrite() });
      }
    } else {
      for (const member of this.members) {
        if (this.slotOf(member)?.key !== slot.key) continue;
        const parent = outerParent(member, this.parents);
        let write = false;
        let read = true;
        if (parent?.type === AST_NODE_TYPES.AssignmentExpression && unwrap(parent.left) === member) {
          write = true;
          read = parent.operator !== '=';
        } else if (parent?.type === AST_NODE_TYPES.UpdateExpression) {
          write = true;
        } else if (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'delete') {
          write = true;
          read = false;
        } else if (this.isPatternTarget(member)) {
          write = true;
          read = false;
        }
        accesses.push({ node: member, read, write });
      }
    }
    accesses.sort((a, b) => a.node.range[0] - b.node.range[0]);
    this.accessCache.set(slot.key, accesses);
    return accesses;
  }

  private isPatternTarget(node: Node): boolean {
    const parent = this.parents.get(node);
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.ArrayPattern || parent.type === AST_NODE_TYPES.RestElement) return true;
    if (parent.type === AST_NODE_TYPES.Property && parent.value === node) return this.parents.get(parent)?.type === AST_NODE_TYPES.ObjectPattern;
    if (parent.type === AST_NODE_TYPES.AssignmentPattern && parent.left === node) return true;
    if ((parent.type === AST_NODE_TYPES.ForOfStatement || parent.type === AST_NODE_TYPES.ForInStatement) && parent.left === node) return true;
    return false;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Guards
  // -------------------------------------------------------------------------------------------------------------

  /** Reads a test that compares a subject with emptiness. */
  private emptyTest(test: Node): EmptyTest | undefined {
    const node = unwrap(test);
    if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
      const inner = unwrap(node.argument);
      if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === '!') {
        return { subject: unwrap(inner.argument), empty: 'falsy', whenEmpty: false };
      }
      return { subject: inner, empty: 'falsy', whenEmpty: true };
    }
    if (node.type === AST_NODE_TYPES.BinaryExpression && ['===', '==', '!==', '!='].includes(node.operator)) {
      const strict = node.operator.length === 3;
      const whenEmpty = node.operator.startsWith('=');
      const left = unwrap(node.left);
      const right = unwrap(node.right);
      const typeofSide = (a: Node, b: Node): Node | undefined =>
        a.type === AST_NODE_TYPES.UnaryExpression && a.operator === 'typeof' && b.type === AST_NODE_TYPES.Literal && b.value === 'undefined'
          ? unwrap(a.argument)
          : undefined;
      const typeofSubject = typeofSide(left, right) ?? typeofSide(right, left);
      if (typeofSubject) return { subject: typeofSubject, empty: 'undefined', whenEmpty };
      const [subject, other] = emptyValueOf(right) ? [left, right] : emptyValueOf(left) ? [right, left] : [undefined, undefined];
      if (!subject || !other) {
        const marked = this.isSentinel(right) ? left : this.isSentinel(left) ? right : undefined;
        return marked && !this.isSentinel(marked) ? { subject: marked, empty: 'sentinel', whenEmpty } : undefined;
      }
      const value = emptyValueOf(other)!;
      const empty: EmptyValues = strict ? value : 'nullish';
      return { subject, empty, whenEmpty };
    }
    if (
      node.type === AST_NODE_TYPES.Identifier ||
      node.type === AST_NODE_TYPES.MemberExpression
    ) {
      return { subject: node, empty: 'falsy', whenEmpty: false };
    }
    return undefined;
  }

  /**
   * A module-level `const` that stands for "not computed yet": made fresh for the purpose (`Symbol()`, `{}`,
   * `Object.create(null)`, `new Object()`) or named so (`UNSET`, `NOT_LOADED`, `NO_VALUE`).
   */
  private isSentinel(node: Node): boolean {
    const value = unwrap(node);
    if (value.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = this.variableOf(value);
    const def = variable?.defs[0];
    if (!variable || !def || def.type !== 'Variable' || def.parent?.kind !== 'const' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
    if (containerOf(def.node, this.parents).type !== AST_NODE_TYPES.Program) return false;
    if (SENTINEL_NAME.test(variable.name)) return true;
    const init = unwrap(def.node.init);
    if (init.type === AST_NODE_TYPES.ObjectExpression) return init.properties.length === 0;
    if (init.type === AST_NODE_TYPES.NewExpression) return this.calleeName(init.callee) === 'Object' && init.arguments.length === 0;
    if (init.type === AST_NODE_TYPES.CallExpression) {
      const name = this.calleeName(init.callee);
      return name === 'Symbol' || name === 'Symbol.for' || (name === 'Object.create' && init.arguments.length === 1 && isNullLiteral(init.arguments[0]!));
    }
    return false;
  }

  private guardKindOf(test: EmptyTest): GuardKind {
    if (test.empty === 'falsy') return 'not';
    if (test.empty === 'sentinel') return 'sentinel';
    const node = unwrap(test.subject);
    const parent = outerParent(node, this.parents);
    if (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'typeof') return 'typeof-undefined';
    switch (test.empty) {
      case 'undefined':
        return 'strict-undefined';
      case 'null':
        return 'strict-null';
      default:
        return 'loose-null';
    }
  }

  /** A local `let a = <slot>` (or `const`) read in place of the slot. */
  private aliasedSlot(subject: Node, container: Node): { slot: SlotRef; alias: Variable } | undefined {
    if (subject.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.variableOf(subject);
    const def = variable?.defs[0];
    if (!variable || !def || def.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
    if (variable.scope.variableScope.block !== container) return undefined;
    const slot = this.slotOf(def.node.init);
    return slot ? { slot, alias: variable } : undefined;
  }

  /** Splits an assignment chain `a = b = init` and finds the assignment into `key`. */
  private storeIn(expression: Node, key: string, aliasVariable?: Variable): { store: TSESTree.AssignmentExpression; init: TSESTree.Expression; aliases: Variable[] } | undefined {
    let node = unwrap(expression);
    const chain: TSESTree.AssignmentExpression[] = [];
    while (node.type === AST_NODE_TYPES.AssignmentExpression && (node.operator === '=' || chain.length === 0)) {
      chain.push(node);
      if (node.operator !== '=') {
        node = unwrap(node.right);
        break;
      }
      node = unwrap(node.right);
    }
    const store = chain.find((a) => this.slotOf(a.left)?.key === key);
    if (!store) return undefined;
    if (store.operator !== '=' && store.operator !== '??=' && store.operator !== '||=') return undefined;
    const aliases: Variable[] = [];
    for (const assignment of chain) {
      if (assignment === store) continue;
      const left = unwrap(assignment.left);
      if (left.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = this.variableOf(left);
      if (!variable) return undefined;
      aliases.push(variable);
    }
    if (aliasVariable && !aliases.includes(aliasVariable)) aliases.push(aliasVariable);
    return { store, init: node as TSESTree.Expression, aliases };
  }

  private storeInStatement(statement: Node, key: string, aliasVariable: Variable | undefined, recheckSubject: (test: Node) => boolean): { store: TSESTree.AssignmentExpression; init: TSESTree.Expression; aliases: Variable[] } | undefined {
    switch (statement.type) {
      case AST_NODE_TYPES.ExpressionStatement:
        return this.storeIn(statement.expression, key, aliasVariable);
      case AST_NODE_TYPES.ReturnStatement:
        return statement.argument ? this.storeIn(statement.argument, key, aliasVariable) : undefined;
      case AST_NODE_TYPES.VariableDeclaration: {
        for (const declarator of statement.declarations) {
          if (!declarator.init || declarator.id.type !== AST_NODE_TYPES.Identifier) continue;
          const found = this.storeIn(declarator.init, key, aliasVariable);
          if (found) {
            const variable = this.context.scopeManager.getDeclaredVariables(declarator)[0];
            if (variable && !found.aliases.includes(variable)) found.aliases.push(variable);
            return found;
          }
        }
        return undefined;
      }
      case AST_NODE_TYPES.BlockStatement:
        return this.storeInStatements(statement.body, key, aliasVariable, recheckSubject);
      case AST_NODE_TYPES.TryStatement:
        return this.storeInStatements(statement.block.body, key, aliasVariable, recheckSubject);
      case AST_NODE_TYPES.IfStatement:
        // A re-check of the same slot (`if (!x) x = v`) after an await.
        if (!statement.alternate && recheckSubject(statement.test)) return this.storeInStatement(statement.consequent, key, aliasVariable, recheckSubject);
        return undefined;
      default:
        return undefined;
    }
  }

  private storeInStatements(statements: readonly Node[], key: string, aliasVariable: Variable | undefined, recheckSubject: (test: Node) => boolean) {
    for (const statement of statements) {
      const found = this.storeInStatement(statement, key, aliasVariable, recheckSubject);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The stores of a guarded statement whose branches all complete by storing or by throwing: an `if`/`else` chain
   * whose last `else` stores or throws, or a `switch` with a `default`. `undefined` when some branch can complete
   * without storing, or when no branch stores.
   */
  private storesInBranches(statement: Node, key: string, alias: Variable | undefined, recheck: (test: Node) => boolean): FoundStore[] | undefined {
    const outcome = (branch: Node): FoundStore[] | 'throws' | undefined => {
      const statements = branch.type === AST_NODE_TYPES.BlockStatement ? branch.body : [branch];
      for (const each of statements) {
        if (each.type === AST_NODE_TYPES.ThrowStatement) return 'throws';
        const found = this.storeInStatement(each, key, alias, recheck);
        if (found) return [found];
        const nested = this.storesInBranches(each, key, alias, recheck);
        if (nested) return nested;
        if (each.type === AST_NODE_TYPES.ReturnStatement || each.type === AST_NODE_TYPES.BreakStatement || each.type === AST_NODE_TYPES.ContinueStatement) return undefined;
      }
      return undefined;
    };
    const combine = (branches: readonly Node[]): FoundStore[] | undefined => {
      const stores: FoundStore[] = [];
      for (const branch of branches) {
        const result = outcome(branch);
        if (result === undefined) return undefined;
        if (result !== 'throws') stores.push(...result);
      }
      return stores.length > 0 ? stores : undefined;
    };
    if (statement.type === AST_NODE_TYPES.IfStatement && statement.alternate) return combine([statement.consequent, statement.alternate]);
    if (statement.type === AST_NODE_TYPES.SwitchStatement && statement.cases.some((c) => c.test === null)) {
      // A case with no statements falls through to the next; the others must end in a store or a throw.
      const bodies = statement.cases.filter((c) => c.consequent.length > 0).map((c) => ({ type: AST_NODE_TYPES.BlockStatement, body: c.consequent }) as unknown as Node);
      return combine(bodies);
    }
    return undefined;
  }

  /**
   * `if (flag) return;` followed, in the same block, by `flag = true` among the statements that do the work: the
   * candidate of a once-flag whose guard is an early return. The region is every statement after the guard.
   */
  private onceReturn(statement: TSESTree.IfStatement, slot: SlotRef, key: string, test: EmptyTest): Candidate | undefined {
    if (test.empty !== 'falsy' || test.whenEmpty) return undefined;
    const block = this.parents.get(statement);
    if (!block || (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program)) return undefined;
    const after = block.body.slice(block.body.indexOf(statement as never) + 1);
    for (const next of after) {
      if (next.type !== AST_NODE_TYPES.ExpressionStatement) continue;
      const store = unwrap(next.expression);
      if (store.type !== AST_NODE_TYPES.AssignmentExpression || store.operator !== '=' || this.slotOf(store.left)?.key !== key) continue;
      const value = unwrap(store.right);
      if (value.type !== AST_NODE_TYPES.Literal || value.value !== true) return undefined;
      return {
        storeForm: 'direct',
        branchStores: [],
        slot,
        kind: 'early-return',
        node: statement,
        test: statement.test,
        read: test.subject,
        empty: 'falsy',
        earlyReturnTest: 'falsy',
        store,
        init: store.right,
        aliases: [],
        region: after,
      };
    }
    return undefined;
  }

  /** A store of the slot that runs only under a condition unrelated to it: `if (!x) { if (flag) x = init(); }`. */
  private conditionalStore(body: Node, key: string, alias: Variable | undefined, recheck: (test: Node) => boolean): FoundStore | undefined {
    const statements = body.type === AST_NODE_TYPES.BlockStatement ? body.body : [body];
    for (const statement of statements) {
      if (statement.type !== AST_NODE_TYPES.IfStatement || recheck(statement.test)) continue;
      for (const branch of [statement.consequent, statement.alternate]) {
        if (!branch) continue;
        const found = this.storeInStatement(branch, key, alias, recheck) ?? this.conditionalStore(branch, key, alias, recheck);
        if (found) return found;
      }
    }
    return undefined;
  }

  private findCandidates(): Candidate[] {
    const candidates: Candidate[] = [];
    const claimed: Node[] = [];
    for (const statement of this.ifs) {
      const test = this.emptyTest(statement.test);
      if (!test || statement.alternate) continue;
      const container = containerOf(statement, this.parents);
      // A re-check inside an already found guard of the same slot is part of that site.
      if (candidates.some((c) => c.node.type === AST_NODE_TYPES.IfStatement && contains(c.node, statement) && this.slotOf(test.subject)?.key === c.slot.key)) continue;
      let slot = this.slotOf(test.subject);
      if (slot?.bindingFunction === container) slot = undefined;
      let alias: Variable | undefined;
      if (!slot) {
        const aliased = this.aliasedSlot(test.subject, container);
        if (!aliased) continue;
        slot = aliased.slot;
        alias = aliased.alias;
      }
      const key = slot.key;
      const sameSubject = (node: Node): boolean => {
        const inner = this.emptyTest(node);
        if (!inner) return false;
        const subject = unwrap(inner.subject);
        return this.slotOf(subject)?.key === key || (alias !== undefined && subject.type === AST_NODE_TYPES.Identifier && this.variableOf(subject) === alias);
      };
      if (test.whenEmpty) {
        let found: FoundStore | undefined = this.storeInStatement(statement.consequent, key, alias, sameSubject);
        let storeForm: StoreForm = 'direct';
        let branchStores: TSESTree.AssignmentExpression[] = [];
        if (!found) {
          const body = statement.consequent.type === AST_NODE_TYPES.BlockStatement ? statement.consequent.body : [statement.consequent];
          for (const each of body) {
            const branches = this.storesInBranches(each, key, alias, sameSubject);
            if (branches) {
              found = branches[0];
              branchStores = branches.slice(1).map((b) => b.store);
              storeForm = 'branches';
              break;
            }
          }
        }
        if (!found) {
          found = this.conditionalStore(statement.consequent, key, alias, sameSubject);
          storeForm = 'conditional';
        }
        if (!found) continue;
        if (alias && !found.aliases.includes(alias)) continue;
        claimed.push(...branchStores);
        candidates.push({
          storeForm,
          branchStores,
          slot,
          kind: this.guardKindOf(test),
          node: statement,
          test: statement.test,
          read: test.subject,
          empty: test.empty,
          store: found.store,
          init: found.init,
          aliases: found.aliases,
          region: [statement.consequent],
        });
        claimed.push(found.store);
        continue;
      }
      // Early return: `if (x) return x;` followed by the store.
      const body = statement.consequent.type === AST_NODE_TYPES.BlockStatement && statement.consequent.body.length === 1 ? statement.consequent.body[0]! : statement.consequent;
      if (body.type !== AST_NODE_TYPES.ReturnStatement) continue;
      if (!body.argument) {
        // `if (done) return; done = true; work();`: a once-flag written as an early return.
        const onceFlag = this.onceReturn(statement, slot, key, test);
        if (onceFlag) candidates.push(onceFlag);
        continue;
      }
      const returned = unwrap(body.argument);
      const returnsSubject =
        this.slotOf(returned)?.key === key ||
        (alias !== undefined && returned.type === AST_NODE_TYPES.Identifier && this.variableOf(returned) === alias);
      if (!returnsSubject) continue;
      const block = this.parents.get(statement);
      if (!block || (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program)) continue;
      const after = block.body.slice(block.body.indexOf(statement as never) + 1);
      let found: FoundStore | undefined;
      let returnStoreForm: StoreForm = 'direct';
      let returnBranchStores: TSESTree.AssignmentExpression[] = [];
      const region: Node[] = [];
      for (const next of after) {
        region.push(next);
        found = this.storeInStatement(next, key, alias, sameSubject);
        if (found) break;
        // `if (x) return x; if (mode) x = a(); else x = b();`: the value is stored in every branch that follows.
        const branches = this.storesInBranches(next, key, alias, sameSubject);
        if (branches) {
          found = branches[0];
          returnBranchStores = branches.slice(1).map((branch) => branch.store);
          returnStoreForm = 'branches';
          break;
        }
        if (next.type === AST_NODE_TYPES.ReturnStatement || next.type === AST_NODE_TYPES.ThrowStatement) break;
      }
      if (!found || (alias && !found.aliases.includes(alias))) continue;
      claimed.push(...returnBranchStores);
      candidates.push({
        storeForm: returnStoreForm,
        branchStores: returnBranchStores,
        slot,
        kind: 'early-return',
        node: statement,
        test: statement.test,
        read: test.subject,
        empty: test.empty,
        earlyReturnTest: test.empty,
        store: found.store,
        init: found.init,
        aliases: found.aliases,
        region,
      });
      claimed.push(found.store);
    }

    const isClaimed = (node: Node) => claimed.some((store) => contains(store, node));
    for (const assignment of this.assignments) {
      if (isClaimed(assignment)) continue;
      if (assignment.operator === '??=' || assignment.operator === '||=') {
        const slot = this.slotOf(assignment.left);
        if (!slot) continue;
        const found = this.storeIn(assignment, slot.key);
        if (!found) continue;
        candidates.push({
          storeForm: 'direct',
          branchStores: [],
          slot,
          kind: assignment.operator === '??=' ? 'nullish-assign' : 'or-assign',
          node: assignment,
          test: assignment.left,
          read: assignment.left,
          empty: assignment.operator === '??=' ? 'nullish' : 'falsy',
          store: assignment,
          init: found.init,
          aliases: found.aliases,
          region: [assignment.right],
        });
      } else if (assignment.operator === '=') {
        const right = unwrap(assignment.right);
        if (right.type !== AST_NODE_TYPES.LogicalExpression || (right.operator !== '??' && right.operator !== '||')) continue;
        const slot = this.slotOf(assignment.left);
        if (!slot || this.slotOf(right.left)?.key !== slot.key) continue;
        candidates.push({
          storeForm: 'direct',
          branchStores: [],
          slot,
          kind: right.operator === '??' ? 'assign-nullish' : 'assign-or',
          node: assignment,
          test: right.left,
          read: right.left,
          empty: right.operator === '??' ? 'nullish' : 'falsy',
          store: assignment,
          init: right.right,
          aliases: [],
          region: [right.right],
        });
        claimed.push(assignment);
      }
    }
    for (const logical of this.logicals) {
      if (logical.operator === '&&' || isClaimed(logical)) continue;
      const slot = this.slotOf(logical.left);
      if (!slot) continue;
      const found = this.storeIn(logical.right, slot.key);
      if (!found || found.store !== unwrap(logical.right) || found.store.operator !== '=') continue;
      candidates.push({
        storeForm: 'direct',
        branchStores: [],
        slot,
        kind: logical.operator === '??' ? 'logical-nullish' : 'logical-or',
        node: logical,
        test: logical.left,
        read: logical.left,
        empty: logical.operator === '??' ? 'nullish' : 'falsy',
        store: found.store,
        init: found.init,
        aliases: found.aliases,
        region: [logical.right],
      });
    }
    for (const conditional of this.conditionals) {
      if (isClaimed(conditional)) continue;
      const test = this.emptyTest(conditional.test);
      if (!test) continue;
      const slot = this.slotOf(test.subject);
      if (!slot) continue;
      const [storeSide, readSide] = test.whenEmpty ? [conditional.consequent, conditional.alternate] : [conditional.alternate, conditional.consequent];
      if (this.slotOf(readSide)?.key !== slot.key) continue;
      const found = this.storeIn(storeSide, slot.key);
      if (!found || found.store !== unwrap(storeSide)) continue;
      candidates.push({
        storeForm: 'direct',
        branchStores: [],
        slot,
        kind: 'conditional',
        node: conditional,
        test: conditional.test,
        read: test.subject,
        empty: test.empty,
        store: found.store,
        init: found.init,
        aliases: found.aliases,
        region: [storeSide],
      });
    }
    return candidates;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Traps
  // -------------------------------------------------------------------------------------------------------------

  /**
   * When the guard runs (`SiteContext`), or `undefined` when it runs once per object or module by construction
   * (a constructor filling its own instance, a field initializer, a static block, the top level), which is no site.
   * A constructor that fills a slot outliving the instance (module, closure, static) fills it on first construction;
   * the top level that fills a property of the global object makes a singleton shared across bundles.
   */
  private siteContext(guard: Node, container: Node, slot: SlotRef): SiteContext | undefined {
    if (this.isEagerContext(guard, container)) {
      if (container.type === AST_NODE_TYPES.Program && slot.kind === 'global' && !this.inClassInitializer(guard, container)) return 'top-level-global';
      const parent = this.parents.get(container);
      const inConstructor = parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'constructor';
      if (inConstructor && (slot.kind === 'module' || slot.kind === 'closure' || slot.kind === 'static') && slot.path === 'direct') return 'first-construction';
      return undefined;
    }
    return 'on-demand';
  }

  /** Between `node` and `container` sits a static block or a field initializer. */
  private inClassInitializer(node: Node, container: Node): boolean {
    for (let current = this.parents.get(node); current && current !== container; current = this.parents.get(current)) {
      if (current.type === AST_NODE_TYPES.StaticBlock || current.type === AST_NODE_TYPES.PropertyDefinition) return true;
    }
    return false;
  }

  /** The guard runs once per object or module by construction (constructor, field initializer, static block, top level). */
  private isEagerContext(guard: Node, container: Node): boolean {
    if (container.type === AST_NODE_TYPES.Program) return true;
    const parent = this.parents.get(container);
    if (parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'constructor') return true;
    let current: Node | undefined = this.parents.get(guard);
    while (current && current !== container) {
      if (current.type === AST_NODE_TYPES.StaticBlock || current.type === AST_NODE_TYPES.PropertyDefinition) return true;
      current = this.parents.get(current);
    }
    // An immediately invoked function at the top level runs once, like the top level.
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === container && containerOf(parent, this.parents).type === AST_NODE_TYPES.Program) {
      return true;
    }
    return false;
  }

  private isBooleanish(node: Node): boolean {
    const value = unwrap(node);
    if (value.type === AST_NODE_TYPES.Literal) return typeof value.value === 'boolean' || value.value === null;
    if (value.type === AST_NODE_TYPES.UnaryExpression) return value.operator === '!' || value.operator === 'void';
    if (value.type === AST_NODE_TYPES.BinaryExpression) {
      return ['===', '!==', '==', '!=', '<', '>', '<=', '>=', 'instanceof', 'in'].includes(value.operator);
    }
    if (value.type === AST_NODE_TYPES.Identifier) return value.name === 'undefined';
    if (value.type === AST_NODE_TYPES.CallExpression && value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === 'Boolean') return true;
    return false;
  }

  private isEmptyContainer(node: Node): boolean {
    const value = unwrap(node);
    if (value.type === AST_NODE_TYPES.ArrayExpression) return value.elements.length === 0;
    if (value.type === AST_NODE_TYPES.ObjectExpression) return value.properties.length === 0;
    if (value.type === AST_NODE_TYPES.NewExpression) {
      return value.arguments.length === 0 && value.callee.type === AST_NODE_TYPES.Identifier && EMPTY_CONTAINERS.has(value.callee.name);
    }
    return false;
  }

  private calleeName(node: Node): string | undefined {
    const callee = unwrap(node);
    if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.object.type === AST_NODE_TYPES.Identifier && callee.property.type === AST_NODE_TYPES.Identifier) {
      return `${callee.object.name}.${callee.property.name}`;
    }
    return undefined;
  }

  private readsClock(node: Node): boolean {
    return (
      collectShallow(node, (n) => {
        if (n.type === AST_NODE_TYPES.CallExpression) return CLOCK_CALLS.has(this.calleeName(n.callee) ?? '');
        if (n.type === AST_NODE_TYPES.NewExpression) return this.calleeName(n.callee) === 'Date';
        return false;
      }).length > 0
    );
  }

  private inTimer(node: Node): boolean {
    let current = this.parents.get(node);
    let child: Node = node;
    while (current) {
      if (isFunction(child) && current.type === AST_NODE_TYPES.CallExpression && current.arguments.includes(child as never)) {
        const name = this.calleeName(current.callee);
        if (name && TIMERS.has(name.replace(/^(globalThis|window)\./, ''))) return true;
      }
      child = current;
      current = this.parents.get(current);
    }
    return false;
  }

  /**
   * A once-flag that guards real work: `if (!registered) { registered = true; installHooks(); }`. The flag is stored
   * `true` under a `!flag` guard, and some other statement of the guarded block does more than announce (a block
   * whose other statements only log or emit fires an event once, which is no lazy site).
   */
  private isOnceFlag(candidate: Candidate): boolean {
    const { node, init } = candidate;
    const value = unwrap(init);
    if (value.type !== AST_NODE_TYPES.Literal || value.value !== true || candidate.empty !== 'falsy') return false;
    if (node.type !== AST_NODE_TYPES.IfStatement || candidate.storeForm !== 'direct') return false;
    if (candidate.kind !== 'not' && candidate.kind !== 'early-return') return false;
    // Real work is a call that does more than announce, settle or schedule; assignments and counters are bookkeeping.
    const work = candidate.kind === 'early-return' ? candidate.region : [node.consequent];
    const calls = work.flatMap((region) => collectShallow(region, (n) => n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression)) as (TSESTree.CallExpression | TSESTree.NewExpression)[];
    const announcing = calls.filter((call) => this.onlyAnnounces(call));
    // What an announcement is built from (`console.warn(format(...))`) is part of it.
    return calls.some((call) => !announcing.some((announce) => contains(announce, call)));
  }

  /**
   * A flag that makes a teardown idempotent (`if (this._closed) return; this._closed = true; ...`): its work ends
   * something, it initializes nothing. Told by the teardown's name or by the flag's, which names the final state.
   */
  private isTeardownFlag(candidate: Candidate, container: Node): boolean {
    const name = this.functionName(container);
    return (name !== undefined && TEARDOWN.test(name)) || TERMINAL_STATE.test(candidate.slot.property);
  }

  /**
   * A call that reports, settles or schedules, and does nothing else: `console.warn(...)`, `this.emit('x')`,
   * `resolve(v)`, `done()`, `setImmediate(loop)`, `new Error(...)`.
   */
  private onlyAnnounces(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const callee = unwrap(call.callee);
    if (call.type === AST_NODE_TYPES.NewExpression) return /Error$/.test(this.lastName(callee) ?? '');
    if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.Identifier && (unwrap(callee.object) as TSESTree.Identifier).name === 'console') return true;
    const name = this.lastName(callee) ?? '';
    return EVENT_CALLS.test(name) || SETTLE_CALLS.test(name) || TIMER_CALLS.has(name) || name === 'queueMicrotask' || name === 'nextTick' || name === 'clearTimeout' || name === 'clearInterval';
  }

  private accept(candidate: Candidate): boolean {
    const { slot, node, init } = candidate;
    const container = containerOf(node, this.parents);
    if (this.siteContext(node, container, slot) === undefined) return false;
    if (containerOf(candidate.store, this.parents) !== container) return false;
    // The slot must outlive the call: a binding declared outside the guard's function.
    if (slot.bindingFunction && (slot.bindingFunction === container || !contains(slot.bindingFunction, container))) return false;
    if (slot.kind === 'object' && slot.variable && slot.variable.scope.variableScope.block === container) return false;
    const initValue = unwrap(init);
    // A parameter's member is a slot only when something is created for it; anything else is option defaulting.
    if (slot.path === 'parameter' && initValue.type !== AST_NODE_TYPES.CallExpression && initValue.type !== AST_NODE_TYPES.NewExpression) return false;
    if (this.isOnceFlag(candidate)) return !this.isTeardownFlag(candidate, container) && this.acceptOnceFlag(candidate);
    // Booleans behind a falsy guard (`isX ||= hasY()`) accumulate a flag; under `=== undefined` a boolean is memoized.
    // The slot's name alone decides nothing: `needsX` may hold a function.
    if (this.isBooleanish(init) && (candidate.empty === 'falsy' || initValue.type === AST_NODE_TYPES.Literal)) return false;
    if (candidate.empty === 'falsy' && initValue.type === AST_NODE_TYPES.CallExpression && BOOLEAN_CALL.test(this.lastName(initValue.callee) ?? '')) return false;
    // A timer handle (`pending ??= setTimeout(...)`) is throttling state, not a lazily created value.
    if (initValue.type === AST_NODE_TYPES.CallExpression && TIMER_CALLS.has((this.calleeName(initValue.callee) ?? '').replace(/^(globalThis|window)\./, ''))) return false;
    // Defaulting or capturing (`this.silent ??= config.silent`, `first ??= node`): a read, nothing is created. A local
    // computed inside the guard (`const v = await load(); x = v`) is a created value.
    if (this.isPlainRead(initValue, [candidate.node, ...candidate.region])) return false;
    // A closure slot filled by a callback from the callback's own arguments (`first ??= node` in `forEach`) captures a
    // value of one iteration; it does not initialize anything.
    if (slot.kind === 'closure' && this.isCallbackArgument(container) && this.usesContainerScope(init, container)) return false;
    // A closure slot filled inside an iteration callback (`forEach`, `flatMap`, a visitor) lives for the call that runs
    // the iteration, like a local of it.
    if (slot.kind === 'closure' && this.isIterationCallback(container) && slot.bindingFunction !== undefined && containerOf(this.parents.get(container)!, this.parents) === slot.bindingFunction) return false;
    const containerName = this.functionName(container);
    if (containerName !== undefined && THENABLE_METHODS.has(containerName)) return false;
    if (slot.declaration && candidate.empty === 'falsy') {
      const initial = this.declarationValue(slot.declaration);
      if (initial && unwrap(initial).type === AST_NODE_TYPES.Literal && typeof (unwrap(initial) as TSESTree.Literal).value === 'boolean') return false;
    }
    if (this.isExternalDeferred(initValue)) return false;
    if (this.isPerCallClosure(candidate, container)) return false;
    // `(list ??= []).push(v)`: an accumulator, not a lazily created value.
    if (this.isEmptyContainer(init)) {
      const parent = outerParent(node, this.parents);
      if (parent?.type === AST_NODE_TYPES.MemberExpression && unwrap(parent.object) === node) return false;
    }
    // TTL caches: expiry computed from a clock, or the slot cleared by a timer.
    if (this.readsClock(node) || this.readsClock(init)) return false;
    for (const access of this.accessesOf(slot)) {
      if (access.write && this.inTimer(access.node)) return false;
    }
    if (this.isScratch(candidate, container)) return false;
    if (this.isInitializer(init) && (this.isDrainedAccumulator(candidate) || this.isFilledRightAway(candidate, container) || this.hasResetElsewhere(candidate, container))) return false;
    return true;
  }

  /**
   * The once-flag's own checks. A flag that some other code sets back to `false` toggles a running state (`start()`
   * and `stop()`), and a flag named for a report (`warned`, `didWarnAbout...`) fires an event once: neither guards a
   * one-time initialization.
   */
  private acceptOnceFlag(candidate: Candidate): boolean {
    const container = containerOf(candidate.node, this.parents);
    if (REPORTED_STATE.test(candidate.slot.property)) return false;
    for (const access of this.accessesOf(candidate.slot)) {
      const parent = outerParent(access.node, this.parents);
      if (!access.write || parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent === candidate.store) continue;
      const value = unwrap(parent.right);
      if (value.type === AST_NODE_TYPES.Literal && value.value === false) return false;
    }
    return !this.isScratch(candidate, container);
  }

  /** The function is passed inline to a call that runs it during the call: an array method or a tree walker. */
  private isIterationCallback(fn: Node): boolean {
    const parent = this.parents.get(fn);
    if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(fn as never)) return false;
    return ITERATION_CALLS.test(this.lastName(parent.callee) ?? '');
  }

  /**
   * An empty container that the guard's function starts filling right away (`this.pending ??= []; this.pending.push(x)`,
   * `globalThis.registry ??= {}; globalThis.registry.x = y`): an accumulator, whose creation is not the point.
   */
  private isFilledRightAway(candidate: Candidate, container: Node): boolean {
    return this.accessesOf(candidate.slot).some((access) => {
      if (access.node.range[0] < candidate.store.range[1] || contains(candidate.node, access.node) || containerOf(access.node, this.parents) !== container) return false;
      // An early return's guarded path runs to the function's end: filling the table there is part of creating it.
      if (candidate.kind === 'early-return' && candidate.region.some((region) => contains(region, access.node))) return false;
      const parent = outerParent(access.node, this.parents);
      if (parent?.type !== AST_NODE_TYPES.MemberExpression || unwrap(parent.object) !== unwrap(access.node)) return false;
      const use = outerParent(parent, this.parents);
      if (use?.type === AST_NODE_TYPES.CallExpression && use.callee === parent) return MUTATORS.has(propertyName(parent.property, parent.computed) ?? '');
      return use?.type === AST_NODE_TYPES.AssignmentExpression && unwrap(use.left) === parent;
    });
  }

  /**
   * An empty container that another function sets back to empty: state of a phase (a batch, a cache switched on
   * between `begin()` and `end()`, a session's data until it is destroyed), which that function ends.
   */
  private hasResetElsewhere(candidate: Candidate, container: Node): boolean {
    // A function that returns or reads the container after creating it hands out a cache; one that only switches it
    // on does not.
    const accesses = this.accessesOf(candidate.slot);
    if (accesses.some((access) => access.read && containerOf(access.node, this.parents) === container && !contains(candidate.node, access.node))) return false;
    return accesses.some((access) => {
      const parent = outerParent(access.node, this.parents);
      return access.write && parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.operator === '=' && emptyValueOf(parent.right) !== undefined && containerOf(parent, this.parents) !== container;
    });
  }

  /** `[]`, `{}`, `new Map()`: what an accumulator starts from. */
  private isInitializer(init: Node): boolean {
    return this.isEmptyContainer(init);
  }

  /**
   * Per-call scratch: the slot has another writer in the guard's own function outside the guard that runs on every
   * call (cleared at the end of the same call, reassigned after the store, loaded just before the check), so it holds
   * state of one call, not a value kept for the next. A writer under a condition (a rewrite mode, another request
   * kind) or in a `catch` (undo on failure) does not count.
   */
  private isScratch(candidate: Candidate, container: Node): boolean {
    for (const access of this.accessesOf(candidate.slot)) {
      if (!access.write || contains(candidate.node, access.node) || contains(candidate.store, access.node)) continue;
      if (candidate.branchStores.some((store) => contains(store, access.node))) continue;
      if (containerOf(access.node, this.parents) !== container) continue;
      const parent = outerParent(access.node, this.parents);
      // Another guard's store of the same slot in the same function (a re-check, a second guard) is no scratch write.
      if (parent !== undefined && this.candidateStores.has(parent)) continue;
      if (candidate.kind === 'early-return' && candidate.region.some((region) => contains(region, access.node))) continue;
      if (this.settleRole(access.node, container).onRejection || this.runsConditionally(access.node, container)) continue;
      if (this.onOtherPath(candidate.node, access.node, container)) continue;
      return true;
    }
    return false;
  }

  /**
   * `writer` runs on another path than `guard`: the guard sits in a branch that ends by returning or throwing, and the
   * writer comes after that branch (`if (this.session) { this.tx ??= ...; return; } ... this.tx = ...`).
   */
  private onOtherPath(guard: Node, writer: Node, container: Node): boolean {
    let child: Node = guard;
    for (let current = this.parents.get(guard); current && current !== container; child = current, current = this.parents.get(current)) {
      if (current.type !== AST_NODE_TYPES.IfStatement || current.test === child || contains(current, writer)) continue;
      const branch = child.type === AST_NODE_TYPES.BlockStatement ? child.body : [child];
      const last = branch[branch.length - 1];
      if ((last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement) && writer.range[0] > current.range[1]) return true;
    }
    return false;
  }

  /** Between `node` and `container` sits a branch: an `if`'s arm, a `case`, a loop body, a conditional operand. */
  private runsConditionally(node: Node, container: Node): boolean {
    let child: Node = node;
    for (let current = this.parents.get(node); current && current !== container; child = current, current = this.parents.get(current)) {
      switch (current.type) {
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.ConditionalExpression:
          if (current.test !== child) return true;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (current.right === child) return true;
          break;
        case AST_NODE_TYPES.SwitchCase:
        case AST_NODE_TYPES.CatchClause:
        case AST_NODE_TYPES.ForStatement:
        case AST_NODE_TYPES.ForInStatement:
        case AST_NODE_TYPES.ForOfStatement:
        case AST_NODE_TYPES.WhileStatement:
        case AST_NODE_TYPES.DoWhileStatement:
          return true;
        default:
          break;
      }
    }
    return false;
  }

  /**
   * An accumulator drained elsewhere: `this.pending ??= []` (then pushed to) beside a function that takes the slot's
   * value into a local and clears it (`const items = this.pending; this.pending = undefined;`).
   */
  private isDrainedAccumulator(candidate: Candidate): boolean {
    const accesses = this.accessesOf(candidate.slot);
    for (const access of accesses) {
      if (!access.write) continue;
      const parent = outerParent(access.node, this.parents);
      if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.operator !== '=' || !emptyValueOf(parent.right)) continue;
      const container = containerOf(parent, this.parents);
      const taken = accesses.some(
        (other) => other.read && !other.write && other.node.range[0] < parent.range[0] && containerOf(other.node, this.parents) === container && this.isTakenIntoLocal(other.node),
      );
      if (taken) return true;
    }
    return false;
  }

  /** The read is (part of) what a local is initialized with: `const items = this.pending ?? [];`. */
  private isTakenIntoLocal(read: Node): boolean {
    for (let current = this.parents.get(read); current && !isFunction(current); current = this.parents.get(current)) {
      if (current.type === AST_NODE_TYPES.VariableDeclarator) return true;
      if (current.type.endsWith('Statement')) return false;
    }
    return false;
  }

  /**
   * A deferred resolved from outside: `new Promise((resolve) => { this.resolve = resolve; })`. The promise is a signal
   * that other code settles (and usually replaces each cycle), not a value computed once.
   */
  private isExternalDeferred(init: Node): boolean {
    if (init.type !== AST_NODE_TYPES.NewExpression || this.calleeName(init.callee) !== 'Promise') return false;
    const executor = init.arguments[0] ? unwrap(init.arguments[0]) : undefined;
    if (!executor || !isFunction(executor)) return false;
    const settlers = new Set<Variable>();
    for (const param of executor.params) {
      if (param.type !== AST_NODE_TYPES.Identifier) continue;
      for (const variable of this.context.scopeManager.getDeclaredVariables(executor)) if (variable.name === param.name) settlers.add(variable);
    }
    return (collectDeep(executor, (n) => n.type === AST_NODE_TYPES.AssignmentExpression) as TSESTree.AssignmentExpression[]).some((assignment) => {
      const right = unwrap(assignment.right);
      return right.type === AST_NODE_TYPES.Identifier && [...settlers].some((variable) => variable.references.some((reference) => reference.identifier === right));
    });
  }

  /**
   * A per-call closure: the accessor is a local function of the function that declares the slot, it never leaves that
   * call (only called there), and the initializer reads that call's parameters or locals. Each call gets its own slot.
   */
  private isPerCallClosure(candidate: Candidate, container: Node): boolean {
    const { slot } = candidate;
    if (slot.kind !== 'closure' || !slot.bindingFunction || !isFunction(container)) return false;
    if (!this.usesScopeOf(candidate.init, slot.bindingFunction)) return false;
    const parent = this.parents.get(container);
    let variable: Variable | undefined;
    if (container.type === AST_NODE_TYPES.FunctionDeclaration) variable = this.context.scopeManager.getDeclaredVariables(container)[0];
    else if (parent?.type === AST_NODE_TYPES.VariableDeclarator) variable = this.context.scopeManager.getDeclaredVariables(parent)[0];
    if (!variable || variable.scope.variableScope.block !== slot.bindingFunction) return false;
    // Used only by the declaring call itself, called or handed to a call as an argument: a use from a nested function
    // could run after that call returned.
    return variable.references.every((reference) => {
      if (reference.init) return true;
      const use = this.parents.get(reference.identifier);
      if (use?.type !== AST_NODE_TYPES.CallExpression || containerOf(use, this.parents) !== slot.bindingFunction) return false;
      return use.callee === reference.identifier || use.arguments.includes(reference.identifier as never);
    });
  }

  /** The expression reads a parameter or local declared directly in `fn`'s scope. */
  private usesScopeOf(expression: Node, fn: Node): boolean {
    return collectDeep(expression, (n) => n.type === AST_NODE_TYPES.Identifier).some((identifier) => {
      const variable = this.variableOf(identifier);
      return variable !== undefined && variable.scope.variableScope.block === fn && variable.defs[0]?.type !== 'FunctionName';
    });
  }

  private lastName(callee: Node): string | undefined {
    const node = unwrap(callee);
    if (node.type === AST_NODE_TYPES.Identifier) return node.name;
    if (node.type === AST_NODE_TYPES.MemberExpression) return propertyName(node.property, node.computed);
    return undefined;
  }

  private isPlainRead(value: Node, region: readonly Node[]): boolean {
    switch (value.type) {
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.ThisExpression:
        return true;
      case AST_NODE_TYPES.MemberExpression:
        return !value.computed || value.property.type === AST_NODE_TYPES.Literal ? this.isPlainRead(unwrap(value.object), region) : false;
      case AST_NODE_TYPES.Identifier: {
        const variable = this.variableOf(value);
        const def = variable?.defs[0];
        if (!variable || !def) return true;
        if (def.type === 'ImportBinding' || def.type === 'FunctionName' || def.type === 'ClassName') return false;
        return !region.some((node) => contains(node, def.name));
      }
      default:
        return false;
    }
  }

  private isCallbackArgument(fn: Node): boolean {
    const parent = this.parents.get(fn);
    return (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(fn as never);
  }

  /** The static name a function is known by: declaration, variable, method, property. */
  private functionName(fn: Node): string | undefined {
    if (!isFunction(fn)) return undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id?.name;
    const parent = this.parents.get(fn);
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
    if (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) {
      return propertyName(parent.key, parent.computed);
    }
    return undefined;
  }

  private declarationValue(declaration: Node): Node | undefined {
    switch (declaration.type) {
      case AST_NODE_TYPES.VariableDeclarator:
        return declaration.init ?? undefined;
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
        return declaration.value ?? undefined;
      case AST_NODE_TYPES.Property:
        return declaration.value;
      default:
        return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Sites
  // -------------------------------------------------------------------------------------------------------------

  private settleRole(node: Node, stopAt: Node | undefined): { onRejection: boolean; onSettle: boolean; onFulfil: boolean } {
    let onRejection = false;
    let onSettle = false;
    let onFulfil = false;
    let child: Node = node;
    let current = this.parents.get(node);
    while (current && current !== stopAt) {
      if (current.type === AST_NODE_TYPES.CatchClause && current.body === child) onRejection = true;
      if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) onSettle = true;
      if (isFunction(child) && current.type === AST_NODE_TYPES.CallExpression) {
        const callee = unwrap(current.callee);
        const method = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee.property, callee.computed) : undefined;
        const index = current.arguments.indexOf(child as never);
        if (method === 'catch' && index === 0) onRejection = true;
        if (method === 'then' && index === 1) onRejection = true;
        if (method === 'then' && index === 0) onFulfil = true;
        if (method === 'finally' && index === 0) onSettle = true;
      }
      child = current;
      current = this.parents.get(current);
    }
    return { onRejection, onSettle, onFulfil };
  }

  private isSetterContext(container: Node): boolean {
    const parent = this.parents.get(container);
    return (
      (parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'set') ||
      (parent?.type === AST_NODE_TYPES.Property && parent.kind === 'set')
    );
  }

  private writersOf(slot: SlotRef, stores: ReadonlySet<Node>, siteStore: Node, init: Node): { writers: Writer[]; fulfilReset: boolean } {
    const writers: Writer[] = [];
    let fulfilReset = false;
    const add = (kind: WriterKind, node: Node, value?: 'undefined' | 'null') => {
      const container = containerOf(node, this.parents);
      const role = this.settleRole(node, undefined);
      if (kind === 'reset' && role.onFulfil && contains(init, node)) fulfilReset = true;
      const isStatement = outerParent(node, this.parents)?.type === AST_NODE_TYPES.ExpressionStatement;
      const writer: Writer = value
        ? { kind, node, value, onRejection: role.onRejection, onSettle: role.onSettle, container, isStatement }
        : { kind, node, onRejection: role.onRejection, onSettle: role.onSettle, container, isStatement };
      writers.push(writer);
    };
    if (slot.declaration) {
      const initial = this.declarationValue(slot.declaration);
      if (initial && !emptyValueOf(initial) && !isFunction(unwrap(initial))) add('initial', slot.declaration);
    }
    for (const access of this.accessesOf(slot)) {
      if (!access.write) continue;
      const parent = outerParent(access.node, this.parents);
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && unwrap(parent.left) === unwrap(access.node)) {
        if (parent === siteStore) continue;
        if (stores.has(parent)) {
          add('guarded-store', parent);
          continue;
        }
        const container = containerOf(parent, this.parents);
        if (parent.operator !== '=') {
          add('compound', parent);
        } else if (emptyValueOf(parent.right)) {
          add('reset', parent, emptyValueOf(parent.right));
        } else if (this.isSetterContext(container)) {
          add('setter', parent);
        } else {
          add('assign', parent);
        }
      } else if (parent?.type === AST_NODE_TYPES.UpdateExpression) {
        add('compound', parent);
      } else if (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'delete') {
        add('delete', parent);
      } else if (parent?.type === AST_NODE_TYPES.VariableDeclarator) {
        continue;
      } else {
        add('destructure', parent ?? access.node);
      }
    }
    return { writers, fulfilReset };
  }

  private readRole(read: Node, candidate: Candidate, aliases: readonly Variable[]): ReadRole {
    if (contains(candidate.test, read)) return 'guard';
    const parent = outerParent(read, this.parents);
    if (parent?.type === AST_NODE_TYPES.ReturnStatement) return 'return';
    if (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === unwrap(read)) return 'return';
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init && unwrap(parent.init) === unwrap(read)) return 'alias';
    if (
      parent?.type === AST_NODE_TYPES.AssignmentExpression &&
      unwrap(parent.right) === unwrap(read) &&
      unwrap(parent.left).type === AST_NODE_TYPES.Identifier &&
      aliases.some((variable) => variable.references.some((reference) => reference.identifier === unwrap(parent.left)))
    ) {
      return 'alias';
    }
    return 'other';
  }

  private isTestRead(read: Node): boolean {
    let child: Node = read;
    let current = this.parents.get(read);
    while (current) {
      switch (current.type) {
        case AST_NODE_TYPES.IfStatement:
          return current.test === child;
        case AST_NODE_TYPES.ConditionalExpression:
          return current.test === child;
        case AST_NODE_TYPES.LogicalExpression:
          if (current.left === child) return true;
          break;
        case AST_NODE_TYPES.AssignmentExpression:
          return current.left === child && (current.operator === '??=' || current.operator === '||=');
        case AST_NODE_TYPES.UnaryExpression:
        case AST_NODE_TYPES.BinaryExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSAsExpression:
          break;
        default:
          return false;
      }
      child = current;
      current = this.parents.get(current);
    }
    return false;
  }

  private buildSite(candidate: Candidate, singleSite: boolean, stores: ReadonlySet<Node>): LazySite | undefined {
    const { slot, store, init } = candidate;
    const container = containerOf(candidate.node, this.parents);
    const { writers, fulfilReset } = this.writersOf(slot, stores, store, init);
    const rejectionReset = writers.some((w) => (w.kind === 'reset' || w.kind === 'assign' || w.kind === 'delete') && w.onRejection);
    // Single flight: the slot is cleared when the initializer's own operation settles, by a handler chained on it, by
    // a `finally` in the function that stores it, or in the function the initializer calls. A clear in a `finally` of
    // some other function (`close()`, `dispose()`) is a teardown: a reset like any other.
    const settles = writers.filter((w) => (w.kind === 'reset' || w.kind === 'delete') && w.onSettle);
    const ownSettle = settles.filter((w) => contains(init, w.node) || w.container === container || this.isCalledBy(init, w.container));
    const clearedOnSettle = ownSettle.length > 0 || (fulfilReset && rejectionReset);
    if (clearedOnSettle) return undefined;
    const signals: WeighedSignal[] = [];
    if (settles.length > 0) signals.push('teardown-reset');

    // Awaits between the guard and the end of the store.
    const awaits = candidate.region
      .flatMap((region) =>
        collectShallow(
          region,
          (n) => n.type === AST_NODE_TYPES.AwaitExpression || (n.type === AST_NODE_TYPES.ForOfStatement && n.await),
        ),
      )
      .filter((n) => n.range[0] < store.range[1])
      .sort((a, b) => a.range[0] - b.range[0]);
    const evidence = awaits.length > 0 ? [] : this.promiseEvidence(init, slot);
    const kind: InitializerKind = awaits.length > 0 ? 'awaited' : evidence.length > 0 ? 'promise' : 'sync';

    let recheckAfterAwait = false;
    const lastAwait = awaits[awaits.length - 1];
    if (lastAwait) {
      if ((store.operator === '??=' || store.operator === '||=') && lastAwait.range[1] <= store.left.range[0]) recheckAfterAwait = true;
      for (const access of this.accessesOf(slot)) {
        if (!access.read || access.node.range[0] < lastAwait.range[1] || access.node.range[0] >= store.range[0]) continue;
        if (containerOf(access.node, this.parents) !== container) continue;
        if (this.isTestRead(access.node)) recheckAfterAwait = true;
      }
    }

    const aliases = candidate.aliases.filter((v, i, all) => all.indexOf(v) === i);
    const reads: SlotRead[] = [];
    for (const access of this.accessesOf(slot)) {
      if (!access.read) continue;
      const role = this.readRole(access.node, candidate, aliases);
      const readContainer = containerOf(access.node, this.parents);
      reads.push({
        role,
        node: access.node,
        container: readContainer,
        inSite: contains(candidate.node, access.node) || (role === 'return' && readContainer === container),
      });
    }

    const declarationValue = slot.declaration ? this.declarationValue(slot.declaration) : undefined;
    const emptyIsNull = declarationValue !== undefined && isNullLiteral(declarationValue);
    const storesNull = writers.some((w) => w.value === 'null');
    const triStateNull = candidate.empty === 'undefined' && (emptyIsNull || storesNull);

    let pairedSlotKey: string | undefined;
    let replacesPromiseWithValue = false;
    for (const assignment of collectDeep(init, (n) => n.type === AST_NODE_TYPES.AssignmentExpression) as TSESTree.AssignmentExpression[]) {
      const target = this.slotOf(assignment.left);
      if (!target) continue;
      if (target.key === slot.key) {
        if (!emptyValueOf(assignment.right)) replacesPromiseWithValue = true;
      } else if (pairedSlotKey === undefined && containerOf(assignment, this.parents) !== container) {
        pairedSlotKey = target.key;
      }
    }

    const guard: Guard = {
      kind: candidate.kind,
      node: candidate.node,
      test: candidate.test,
      read: candidate.read,
      empty: candidate.empty,
      treatsFalsyAsEmpty: candidate.empty === 'falsy',
      ...(candidate.earlyReturnTest ? { earlyReturnTest: candidate.earlyReturnTest } : {}),
      container,
    };
    const types = this.typeFacts(init);
    // The checker, when it has a definite answer, overrides evidence that only comes from names.
    const nameOnly = evidence.every((e) => e === 'promise-name');
    let finalKind: InitializerKind = kind;
    let finalEvidence: PromiseEvidence[] = evidence;
    if (kind !== 'awaited' && types.thenable === true) {
      finalKind = 'promise';
      finalEvidence = [...evidence, 'type'];
    } else if (kind === 'promise' && types.thenable === false && nameOnly) {
      finalKind = 'sync';
      finalEvidence = [];
    }
    const containerName = this.functionName(container);
    const onceFlag = this.isOnceFlag(candidate);
    // A once-flag in a teardown makes it idempotent, which is the flag's one-time work like any other.
    if (containerName !== undefined && ONCE_OPERATION.test(containerName) && !onceFlag) {
      if (finalKind !== 'promise') return undefined;
      signals.push('close-memo');
    }
    const initializer: Initializer = {
      kind: finalKind,
      node: init,
      awaits,
      promiseEvidence: finalEvidence,
      isClass: unwrap(init).type === AST_NODE_TYPES.ClassExpression,
      usesContainerScope: this.usesContainerScope(init, container),
      mayBeFalsy: types.mayBeFalsy,
      mayBeNullish: types.mayBeNullish,
      typeText: types.typeText,
    };
    const sitedSlot: Slot = {
      kind: slot.kind,
      name: slot.name,
      property: slot.property,
      private: slot.private,
      key: slot.key,
      declaration: slot.declaration,
      typeAnnotation: slot.typeAnnotation,
      scopeKind: slot.scopeKind,
      variable: slot.variable,
      owner: slot.owner,
      ownerName: slot.ownerName,
      exported: slot.exported,
      valueTypeText: this.slotTypeText(slot, init),
    };
    return {
      id: `${slot.key}@${candidate.node.range[0]}`,
      slot: sitedSlot,
      guard,
      initializer,
      stores: [store, ...candidate.branchStores],
      accessor: this.accessorOf(container, candidate, aliases),
      otherWriters: writers,
      reads,
      aliases,
      flags: {
        recheckAfterAwait,
        clearedOnRejection: rejectionReset,
        clearedOnSettle: false,
        triStateNull,
        pairedSlotKey,
        replacesPromiseWithValue,
        aliasReads: aliases.length > 0,
        storeInExpression: outerParent(store, this.parents)?.type !== AST_NODE_TYPES.ExpressionStatement,
        emptyIsNull,
        singleSite,
        workAfterStore: !onceFlag && this.workAfterStore(candidate),
      },
      shape: {
        slotPath: slot.path,
        store: onceFlag ? 'once-flag' : candidate.storeForm,
        context: this.siteContext(candidate.node, container, slot) ?? 'on-demand',
        signals,
      },
    };
  }

  /** `init` calls, directly, the function `fn` (a function declaration, a `const` function, or a method of `this`). */
  private isCalledBy(init: Node, fn: Node): boolean {
    if (!isFunction(fn)) return false;
    return collectDeep(init, (n) => n.type === AST_NODE_TYPES.CallExpression).some((call) => {
      const callee = unwrap((call as TSESTree.CallExpression).callee);
      if (callee.type === AST_NODE_TYPES.Identifier) {
        const def = this.variableOf(callee)?.defs[0];
        return def !== undefined && (def.node === fn || (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null && unwrap(def.node.init) === fn));
      }
      if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.ThisExpression) {
        const parent = this.parents.get(fn);
        const name = propertyName(callee.property, callee.computed);
        return (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition) && name !== undefined && propertyName(parent.key, parent.computed) === name;
      }
      return false;
    });
  }

  private workAfterStore(candidate: Candidate): boolean {
    const { node, store } = candidate;
    if (node.type !== AST_NODE_TYPES.IfStatement) return false;
    let statements: readonly Node[];
    if (candidate.kind === 'early-return') {
      const block = this.parents.get(node);
      if (!block || (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program)) return false;
      statements = block.body.slice(block.body.indexOf(node as never) + 1);
    } else {
      statements = node.consequent.type === AST_NODE_TYPES.BlockStatement ? node.consequent.body : [node.consequent];
    }
    const at = statements.findIndex((statement) => contains(statement, store));
    if (at < 0) return false;
    for (const statement of statements.slice(at + 1)) {
      if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return false;
      if (statement.type !== AST_NODE_TYPES.EmptyStatement) return true;
    }
    return false;
  }

  private usesContainerScope(init: Node, container: Node): boolean {
    if (container.type === AST_NODE_TYPES.Program) return false;
    const thisOwnerIsContainer = container.type !== AST_NODE_TYPES.ArrowFunctionExpression;
    for (const node of collectDeep(init, (n) => n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.ThisExpression || n.type === AST_NODE_TYPES.Super)) {
      if (node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.Super) {
        if (thisOwnerIsContainer && containerOfThis(node, this.parents) === container) return true;
        continue;
      }
      if (node.type === AST_NODE_TYPES.Identifier && node.name === 'arguments' && this.isGlobal(node)) return true;
      const variable = this.variableOf(node);
      if (!variable) continue;
      const block = variable.scope.variableScope.block;
      if (block === container || (contains(container, block) && !contains(init, block))) {
        if (!contains(init, variable.defs[0]?.node ?? init)) return true;
      }
    }
    return false;
  }

  private accessorOf(container: Node, candidate: Candidate, aliases: readonly Variable[]): Accessor | undefined {
    if (!isFunction(container)) return undefined;
    const parent = this.parents.get(container);
    let kind: AccessorKind | undefined;
    let definition: Node = container;
    let name: string | undefined;
    if (container.type === AST_NODE_TYPES.FunctionDeclaration) {
      kind = 'function';
      name = container.id?.name;
    } else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
      kind = 'function';
      definition = parent;
      name = parent.id.name;
    } else if (parent?.type === AST_NODE_TYPES.MethodDefinition) {
      definition = parent;
      name = propertyName(parent.key, parent.computed);
      if (parent.kind === 'get') kind = parent.static ? 'static-getter' : 'getter';
      else kind = parent.static ? 'static-method' : 'method';
    } else if (parent?.type === AST_NODE_TYPES.PropertyDefinition) {
      definition = parent;
      name = propertyName(parent.key, parent.computed);
      kind = parent.static ? 'static-method' : 'method';
    } else if (parent?.type === AST_NODE_TYPES.Property && this.parents.get(parent)?.type === AST_NODE_TYPES.ObjectExpression) {
      definition = parent;
      name = propertyName(parent.key, parent.computed);
      kind = parent.kind === 'get' ? 'object-getter' : 'object-method';
    } else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === container) {
      const left = unwrap(parent.left);
      if (left.type === AST_NODE_TYPES.MemberExpression) {
        definition = parent;
        name = propertyName(left.property, left.computed);
        const object = unwrap(left.object);
        kind =
          object.type === AST_NODE_TYPES.MemberExpression && propertyName(object.property, object.computed) === 'prototype' ? 'method' : 'function';
      } else if (left.type === AST_NODE_TYPES.Identifier) {
        definition = parent;
        name = left.name;
        kind = 'function';
      }
    }
    if (!kind) return undefined;
    return { kind, node: container, definition, name, returnsSlot: this.returnsSlot(container, candidate, aliases), async: container.async };
  }

  private returnsSlot(container: TSESTree.FunctionLike, candidate: Candidate, aliases: readonly Variable[]): boolean {
    const isSlotValue = (expression: Node): boolean => {
      const value = unwrap(expression);
      if (value === candidate.node || value === candidate.store) return true;
      if (this.slotOf(value)?.key === candidate.slot.key) return true;
      if (value.type === AST_NODE_TYPES.Identifier) {
        const variable = this.variableOf(value);
        if (variable && aliases.includes(variable)) return true;
      }
      if (value.type === AST_NODE_TYPES.AssignmentExpression) return isSlotValue(value.right) || contains(value, candidate.store);
      return false;
    };
    if (container.body && container.body.type !== AST_NODE_TYPES.BlockStatement) return isSlotValue(container.body);
    if (!container.body) return false;
    const returns = collectShallow(container.body, (n) => n.type === AST_NODE_TYPES.ReturnStatement) as TSESTree.ReturnStatement[];
    const after = returns.filter((r) => r.range[0] >= candidate.node.range[0] || contains(r, candidate.node));
    return after.length > 0 && after.every((r) => r.argument !== null && isSlotValue(r.argument));
  }

  private promiseEvidence(init: Node, slot: SlotRef): PromiseEvidence[] {
    const evidence = new Set<PromiseEvidence>();
    const visit = (expression: Node): void => {
      const node = unwrap(expression);
      switch (node.type) {
        case AST_NODE_TYPES.CallExpression: {
          const callee = unwrap(node.callee);
          if ((callee.type === AST_NODE_TYPES.ArrowFunctionExpression || callee.type === AST_NODE_TYPES.FunctionExpression) && callee.async) {
            evidence.add('async-iife');
          } else if (callee.type === AST_NODE_TYPES.Identifier) {
            if (this.isAsyncFunction(callee)) evidence.add('async-call');
            else if (callee.name === 'fetch' && this.isGlobal(callee)) evidence.add('promise-name');
          } else if (callee.type === AST_NODE_TYPES.MemberExpression) {
            const method = propertyName(callee.property, callee.computed);
            const object = unwrap(callee.object);
            if (method === 'then' || method === 'catch' || method === 'finally') evidence.add('then-chain');
            else if (object.type === AST_NODE_TYPES.Identifier && object.name === 'Promise' && this.isGlobal(object) && method && PROMISE_STATICS.has(method)) {
              evidence.add('promise-static');
            } else if (object.type === AST_NODE_TYPES.ThisExpression && method && this.isAsyncMethod(callee, method)) {
              evidence.add('async-call');
            }
          }
          break;
        }
        case AST_NODE_TYPES.NewExpression:
          if (node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'Promise' && this.isGlobal(node.callee)) evidence.add('promise-constructor');
          break;
        case AST_NODE_TYPES.ImportExpression:
          evidence.add('dynamic-import');
          break;
        case AST_NODE_TYPES.ConditionalExpression:
          visit(node.consequent);
          visit(node.alternate);
          break;
        case AST_NODE_TYPES.LogicalExpression:
          visit(node.right);
          break;
        default:
          break;
      }
    };
    visit(init);
    if (slot.typeAnnotation && isPromiseType(slot.typeAnnotation)) evidence.add('annotation');
    if (evidence.size === 0 && PROMISE_NAME.test(slot.property)) {
      const value = unwrap(init);
      if (value.type === AST_NODE_TYPES.CallExpression || value.type === AST_NODE_TYPES.Identifier || value.type === AST_NODE_TYPES.MemberExpression) {
        evidence.add('promise-name');
      }
    }
    return [...evidence];
  }

  private isAsyncFunction(identifier: TSESTree.Identifier): boolean {
    const def = this.variableOf(identifier)?.defs[0];
    if (!def) return false;
    if (def.type === 'FunctionName') return (def.node as TSESTree.FunctionDeclaration).async;
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      const init = unwrap(def.node.init);
      return isFunction(init) && init.async;
    }
    return false;
  }

  private isAsyncMethod(callee: TSESTree.MemberExpression, method: string): boolean {
    const owner = this.thisOwner(callee);
    if (!owner) return false;
    const members =
      owner.owner.type === AST_NODE_TYPES.ClassDeclaration || owner.owner.type === AST_NODE_TYPES.ClassExpression
        ? owner.owner.body.body
        : owner.owner.type === AST_NODE_TYPES.ObjectExpression
          ? owner.owner.properties
          : [];
    return members.some((member) => {
      if (member.type === AST_NODE_TYPES.MethodDefinition) return propertyName(member.key, member.computed) === method && member.value.async;
      if (member.type === AST_NODE_TYPES.Property || member.type === AST_NODE_TYPES.PropertyDefinition) {
        const value = member.value && unwrap(member.value);
        return propertyName(member.key, member.computed) === method && !!value && isFunction(value) && value.async;
      }
      return false;
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Types (optional)
  // -------------------------------------------------------------------------------------------------------------

  private typeOf(node: Node): ts.Type | undefined {
    const info = this.context.typeInfo;
    if (!info) return undefined;
    const tsNode = info.esTreeNodeToTSNodeMap.get(node);
    if (!tsNode) return undefined;
    try {
      return info.checker.getTypeAtLocation(tsNode);
    } catch {
      return undefined;
    }
  }

  private typeFacts(init: Node): { mayBeFalsy: boolean | undefined; mayBeNullish: boolean | undefined; typeText: string | undefined; thenable: boolean | undefined } {
    const info = this.context.typeInfo;
    const type = this.typeOf(init);
    if (!info || !type) return { mayBeFalsy: undefined, mayBeNullish: undefined, typeText: undefined, thenable: undefined };
    const checker = info.checker;
    const typeText = checker.typeToString(type);
    const parts = type.isUnion() ? type.types : [type];
    let mayBeFalsy: boolean | undefined = false;
    let mayBeNullish = false;
    let thenable: boolean | undefined = false;
    // Read through the type's own API (intrinsic names, literal checks) rather than `ts.TypeFlags` numbers, which
    // are not stable across TypeScript versions, and so that the analysis never loads `typescript` itself.
    for (const part of parts) {
      const intrinsic = (part as unknown as { intrinsicName?: string }).intrinsicName;
      if (intrinsic === 'any' || intrinsic === 'unknown' || intrinsic === 'error' || isTypeParameter(part)) {
        mayBeFalsy = undefined;
        mayBeNullish = true;
        thenable = undefined;
        continue;
      }
      if (intrinsic === 'undefined' || intrinsic === 'null' || intrinsic === 'void') mayBeNullish = true;
      const falsy =
        intrinsic === 'string' ||
        intrinsic === 'number' ||
        intrinsic === 'bigint' ||
        intrinsic === 'boolean' ||
        intrinsic === 'false' ||
        (part.isStringLiteral() && part.value === '') ||
        (part.isNumberLiteral() && part.value === 0) ||
        (part.isLiteral() && typeof part.value === 'object' && part.value.base10Value === '0');
      if (falsy && mayBeFalsy !== undefined) mayBeFalsy = true;
      if (thenable !== undefined && part.getProperty('then')) thenable = true;
    }
    return { mayBeFalsy, mayBeNullish, typeText, thenable };
  }

  private slotTypeText(slot: SlotRef, init: Node): string | undefined {
    const info = this.context.typeInfo;
    if (!info) return undefined;
    let target: Node | undefined;
    if (slot.declaration?.type === AST_NODE_TYPES.VariableDeclarator) target = slot.declaration.id;
    else if (slot.declaration?.type === AST_NODE_TYPES.PropertyDefinition || slot.declaration?.type === AST_NODE_TYPES.AccessorProperty) target = slot.declaration.key;
    const type = (target && slot.typeAnnotation ? this.typeOf(target) : undefined) ?? this.typeOf(init);
    if (!type) return undefined;
    return info.checker.typeToString(info.checker.getNonNullableType(type));
  }
}

/** The function whose `this` a `this` expression denotes (arrows see through to their parent's). */
function containerOfThis(node: Node, parents: ParentMap): Node | undefined {
  let current = parents.get(node);
  while (current) {
    if (current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.Program) return current;
    current = parents.get(current);
  }
  return undefined;
}

/** Not a type guard, so the caller's `part` keeps its type in the other branch. */
function isTypeParameter(type: ts.Type): boolean {
  return type.isTypeParameter();
}

/** `Promise<T>`, `PromiseLike<T>`, or a union of one with `undefined`/`null`. */
function isPromiseType(type: TSESTree.TypeNode): boolean {
  if (type.type === AST_NODE_TYPES.TSUnionType) return type.types.some(isPromiseType);
  return (
    type.type === AST_NODE_TYPES.TSTypeReference &&
    type.typeName.type === AST_NODE_TYPES.Identifier &&
    (type.typeName.name === 'Promise' || type.typeName.name === 'PromiseLike')
  );
}

/**
 * Exclusion signals: `accept`, which tells the candidates that are lazy sites from the near misses that share their
 * form, and every predicate it calls. Each predicate is small and says in its comment what real code it describes:
 * eager contexts, option defaulting, per-call locals, per-call closures and scratch, accumulators (created and filled
 * right away, drained elsewhere, or switched on for a phase), external deferreds, timers and TTL caches, boolean
 * flags, and once-flags that only announce, toggle a running state or make a teardown idempotent.
 *
 * Invariants it keeps (those of `analyze.ts` that are decided before a site is built):
 * - an accepted candidate's guard and store sit in the same function, and that function runs on demand
 *   (`siteContext`), except a constructor filling a slot that outlives the instance and the top level filling a
 *   property of the global object;
 * - its slot outlives the call that holds the guard: a binding declared outside the guard's function, never a
 *   parameter or a local of that call;
 * - its store puts a created value into the slot: not a boolean (a once-flag only when it guards real work), not a
 *   plain read, a timer handle or an external deferred, not an empty container that is filled right away, drained or
 *   reset elsewhere; and nothing clears the slot on a timer or computes an expiry from a clock;
 * - the predicates only read the tree, the scopes and the caches of the layers below, so the site building may ask
 *   them again (`siteContext`, `isOnceFlag`, `usesContainerScope`, ...) and get the same answer.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import {
  collectDeep,
  collectShallow,
  contains,
  containerOf,
  emptyValueOf,
  isFunction,
  outerParent,
  propertyName,
  unwrap,
  type Node,
  type ParentMap,
} from './ast.js';
import type { SiteContext } from './types.js';
import { CandidateSearch, type Candidate } from './candidates.js';
import type { SlotRef } from './slots.js';

const EMPTY_CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);
const CLOCK_CALLS = new Set(['Date.now', 'performance.now', 'process.hrtime']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
/** Calls that return booleans: `isX ||= hasY()` accumulates a flag. */
const BOOLEAN_CALL = /^(is|has|can|should|includes|contains|matches|some|every|test)([A-Z_]|$)/;
/** A promise kept by a thenable's own `then`/`catch`/`finally` is the operation's result, rejection included. */
const THENABLE_METHODS = new Set(['then', 'catch', 'finally']);
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

export abstract class ExclusionSignals extends CandidateSearch {
  /**
   * When the guard runs (`SiteContext`), or `undefined` when it runs once per object or module by construction
   * (a constructor filling its own instance, a field initializer, a static block, the top level), which is no site.
   * A constructor that fills a slot outliving the instance (module, closure, static) fills it on first construction;
   * the top level that fills a property of the global object makes a singleton shared across bundles.
   */
  protected siteContext(guard: Node, container: Node, slot: SlotRef): SiteContext | undefined {
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
  protected isOnceFlag(candidate: Candidate): boolean {
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

  protected accept(candidate: Candidate): boolean {
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
  protected functionName(fn: Node): string | undefined {
    if (!isFunction(fn)) return undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id?.name;
    const parent = this.parents.get(fn);
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
    if (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) {
      return propertyName(parent.key, parent.computed);
    }
    return undefined;
  }

  protected declarationValue(declaration: Node): Node | undefined {
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

  /**
   * How `node` runs with respect to a promise, up to `stopAt`: on rejection (a `catch` block, a `.catch` or rejection
   * handler), on settle (a `finally` block or `.finally` handler), on fulfilment (a `.then` handler).
   */
  protected settleRole(node: Node, stopAt: Node | undefined): { onRejection: boolean; onSettle: boolean; onFulfil: boolean } {
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

  /**
   * `init` reads the scope of `container`: its `this`, its `arguments`, or a parameter or local of it declared outside
   * `init` itself.
   */
  protected usesContainerScope(init: Node, container: Node): boolean {
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

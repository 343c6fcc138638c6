/**
 * Site building: from an accepted candidate to its `LazySite`. The slot's other writers and their roles (`writersOf`),
 * its reads (`readRole`), the awaits between the guard and the store, promise evidence and type facts, the accessor
 * that holds the guard (`accessorOf`, `returnsSlot`), the flags, and the `shape` (slot path, store form, context and
 * the exclusions that were weighed and did not apply).
 *
 * Invariants it keeps:
 * - a candidate whose slot is cleared when its own operation settles (a single-flight promise) builds no site, and
 *   neither does one in a function that runs an operation once (`close()`, `dispose()`, ...) unless it caches a
 *   promise there (`close-memo`) or is a once-flag;
 * - the site's own store is never among its other writers; another accepted guard's store of the same slot is a
 *   `guarded-store`;
 * - the checker's definite answer on thenability overrides promise evidence that comes from names only;
 * - `shape` records every form the rest of the model does not spell out, so consumers never look at node types again.
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
  isNullLiteral,
  outerParent,
  propertyName,
  unwrap,
  type Node,
} from './ast.js';
import type {
  Accessor,
  AccessorKind,
  Guard,
  Initializer,
  InitializerKind,
  LazySite,
  PromiseEvidence,
  ReadRole,
  Slot,
  SlotRead,
  WeighedSignal,
  Writer,
  WriterKind,
} from './types.js';
import type { Candidate } from './candidates.js';
import type { SlotRef } from './slots.js';
import { TypeFacts } from './type-facts.js';

/**
 * Methods that run an operation once. A promise they cache (`return (this.#closing ??= this.#shutdown())`) is an
 * idempotent shutdown, which is a promise cache; any other slot they fill is state of the operation, not a value.
 */
const ONCE_OPERATION = /^_?(close|dispose|destroy|stop|shutdown|teardown|terminate|disconnect|cleanup|unmount)/i;

export abstract class SiteBuilder extends TypeFacts {
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

  protected buildSite(candidate: Candidate, singleSite: boolean, stores: ReadonlySet<Node>): LazySite | undefined {
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
}

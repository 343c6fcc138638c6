/**
 * Candidate search: every guard form of DESIGN.md section 3 with the store it guards. `if (!x) ...` (and the other
 * emptiness tests `emptyTest` reads, sentinels included), early returns (`if (x) return x;` before the store, and
 * `if (done) return; done = true;` once-flags), `x ??= ...`, `x ||= ...`, `x = x ?? ...`, `x || (x = ...)` and
 * conditionals. The store may be direct, in every branch of an `if`/`else` chain or `switch` (`branches`), or under
 * an unrelated condition (`conditional`); the slot may also be read through a local alias (`const a = this.x`).
 *
 * Invariants it keeps:
 * - a candidate's `store` assigns its `slot` with `=`, `??=` or `||=`, and `init` is the value that store puts there;
 *   for `branches`, `branchStores` holds the stores of the other branches, in source order;
 * - a store that an `if` guard (or `x = x ?? init`) claimed is not found again by the expression forms, and a
 *   re-check of the same slot inside a guard already found is part of that guard, not a candidate of its own;
 * - `region` is where the guarded work runs (the awaits between guard and store are searched there);
 * - nothing here decides whether a candidate is a site: every candidate goes through `accept` (`signals.ts`).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import { contains, containerOf, emptyValueOf, isNullLiteral, outerParent, unwrap, type Node } from './ast.js';
import type { EmptyValues, GuardKind, StoreForm } from './types.js';
import { SlotResolver, type SlotRef } from './slots.js';

/** Names of module constants that mark a slot as not computed yet. */
const SENTINEL_NAME = /^_?(UNSET|UNINITIALI[SZ]ED|NOT_?(SET|LOADED|COMPUTED|INITIALI[SZ]ED|READY)|NO_?VALUE|EMPTY_?(SLOT|VALUE)?|SENTINEL|NOTHING|PENDING_?VALUE)$/i;

export interface Candidate {
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

interface EmptyTest {
  readonly subject: Node;
  readonly empty: EmptyValues;
  /** The test is true when the slot is empty (`!x`), as opposed to when it is filled (`x`, `x !== undefined`). */
  readonly whenEmpty: boolean;
}

export abstract class CandidateSearch extends SlotResolver {
  /** The stores of every candidate: a second guard's store of a slot is no other writer of the first. */
  protected readonly candidateStores = new Set<Node>();

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

  protected findCandidates(): Candidate[] {
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

  /** The name a callee is called by: `f`, or `a.f` for a member of a name. */
  protected calleeName(node: Node): string | undefined {
    const callee = unwrap(node);
    if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.object.type === AST_NODE_TYPES.Identifier && callee.property.type === AST_NODE_TYPES.Identifier) {
      return `${callee.object.name}.${callee.property.name}`;
    }
    return undefined;
  }
}

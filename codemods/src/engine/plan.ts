/**
 * Planning: from the lazy sites of one slot to the text edits that move it onto a runtime cell, or to the reason it
 * stays as it is. A slot is rewritten whole (its declaration, every site on it, every other read and writer) or not
 * at all.
 */
import path from 'node:path';
import type { LazySite, Writer } from '@lazy-init/eslint-plugin/analysis';
import type { Reference, Scope, ScopeManager } from '@typescript-eslint/scope-manager';
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type ts from 'typescript';
import {
  contains,
  containsOwn,
  enclosingFunction,
  isFunctionNode,
  parentOf,
  parenthesizedRange,
  statementSiblings,
  unwrapTs,
  walk,
  type Node,
} from './ast.js';
import type { ParsedFile } from './parse.js';
import { calledFunction, reachesAny } from './reach.js';
import { localName, regionFacts, type RegionFacts } from './region.js';
import { SkipSite } from './reasons.js';
import type { RuntimeName } from './runtime-import.js';
import { editsConflict, lineIndentAt, reindent, startsLine, type SourceStyle, type TextEdit } from './text.js';
import { expressionIsTruthy, referencedTypeNames, stripNullishType, typeNodeMayBeFalsy, unwrapPromiseType } from './type-arg.js';
import type { EngineOptions, SiteReport, TransformSlug } from './types.js';

export interface PlanContext {
  readonly text: string;
  readonly parsed: ParsedFile;
  readonly style: SourceStyle;
  readonly options: EngineOptions;
  /** Runtime names this file cannot use (something else in it has the name). */
  readonly clashes: ReadonlySet<RuntimeName>;
}

export interface SlotPlan {
  readonly edits: readonly TextEdit[];
  /**
   * Edits of slots planned before this one that fell inside code this plan moves (an initializer reading another
   * slot): they are part of this plan's edits now and must not be applied on their own.
   */
  readonly consumed: ReadonlySet<TextEdit>;
  readonly needs: ReadonlySet<RuntimeName>;
  readonly reports: readonly SiteReport[];
}

// ---------------------------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------------------------

/** The transform that handles a site: by what is stored first (awaited, promise), then by where it lives. */
export const classify = (site: LazySite, text: string): TransformSlug => {
  if (site.initializer.kind === 'awaited') return 'async-init-race';
  if (site.initializer.kind === 'promise' || annotatedAsPromise(site, text)) return 'promise-cache';
  switch (site.slot.kind) {
    case 'static':
      return 'static-singleton';
    case 'instance':
    case 'object':
      return 'instance-memo';
    default:
      return 'module-lazy-slot';
  }
};

/** The author wrote the slot's type as a promise (`let p: Promise<Config> | undefined`). */
const annotatedAsPromise = (site: LazySite, text: string): boolean => {
  const stripped = stripNullishType(slotAnnotation(site), text);
  return stripped?.node !== undefined && unwrapPromiseType(stripped.node, text) !== undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// Site shapes
// ---------------------------------------------------------------------------------------------------------------

/**
 * Where a site is rewritten and what it becomes.
 * - `return`: `[start, end)` spans the guard through the `return` of the slot; it becomes `return <access>;`.
 * - `statement`: `[start, end)` is the guard statement (the accessor goes on to use the slot); it becomes `<access>;`.
 * - `expression`: `[start, end)` is the guard expression (`x ??= init()`, `x || (x = init())`); it becomes `<access>`.
 */
interface Shape {
  readonly site: LazySite;
  readonly form: 'return' | 'statement' | 'expression';
  readonly start: number;
  readonly end: number;
  /** Keep the statement's own semicolon style: the replaced statement ended with `;`. */
  readonly semicolon: boolean;
  /** The stored expression (for `awaited`, without a top-level `await`). */
  readonly init: TSESTree.Node;
  /** The initializer awaits (nested or in `prelude`), so its function must be `async`. */
  readonly asyncInit: boolean;
  /** Statements that compute the value before the store, moved into the initializer function. */
  readonly prelude:
    | { readonly kind: 'block'; readonly block: TSESTree.BlockStatement; readonly store: TSESTree.Statement }
    | { readonly kind: 'statements'; readonly start: number; readonly end: number; readonly nodes: readonly Node[] }
    | RegionPrelude
    | undefined;
  /** The slot as the site writes it (`db`, `this.#client`, `Config.instance`). */
  readonly ref: string;
  /**
   * For `statement`: the first read of the slot in the next statement, evaluated before anything else there. The
   * guard is then removed and this read becomes the access itself (`return this.#index.getOrInit(...).find(q)`).
   */
  readonly inlineRead?: Node;
}

/**
 * The guarded statements become the initializer's body, with the slot as a local (`region.ts` says when that is the
 * same program): `if (!x) { x = {}; fill(x); }` becomes `x.getOrInit(() => { const settings = {}; fill(settings);
 * return settings; })`.
 */
interface RegionPrelude {
  readonly kind: 'region';
  readonly start: number;
  readonly end: number;
  readonly nodes: readonly Node[];
  readonly facts: RegionFacts;
  /** The local that stands for the slot inside the body. */
  readonly local: string;
}

const RETURN_LIKE = new Set(['ReturnStatement', 'BreakStatement', 'ContinueStatement', 'YieldExpression']);

const nodeText = (node: { range: TSESTree.Range }, text: string): string => text.slice(node.range[0], node.range[1]);

const endsWithSemicolon = (node: Node, text: string): boolean => nodeText(node, text).trimEnd().endsWith(';');

/** `statement` is `return <a read of the slot>` (through `!`, `as`). */
const returnsSlotRead = (statement: Node | undefined, site: LazySite): statement is TSESTree.ReturnStatement => {
  if (statement?.type !== 'ReturnStatement' || statement.argument === null) return false;
  const argument = unwrapTs(statement.argument);
  return site.reads.some((read) => read.node === argument);
};

const statementOf = (node: Node): TSESTree.Statement | undefined => {
  const parent = parentOf(node);
  return parent?.type === 'ExpressionStatement' ? parent : undefined;
};

const storeStatement = (store: TSESTree.AssignmentExpression): TSESTree.Statement | undefined => {
  let current: Node = store;
  let parent = parentOf(current);
  // `return (x = init())` and `x = init();`.
  if (parent?.type === 'ExpressionStatement') return parent;
  if (parent?.type === 'ReturnStatement') return parent;
  while (parent !== undefined && parent.type === 'TSNonNullExpression') {
    current = parent;
    parent = parentOf(current);
  }
  return parent?.type === 'ReturnStatement' ? parent : undefined;
};

const shapeOf = (site: LazySite, group: readonly LazySite[], ctx: PlanContext): Shape => {
  const { text } = ctx;
  const guard = site.guard;
  const store = site.stores[0];
  if (store === undefined) throw new SkipSite('unsupported-shape', 'no store');
  const branches = site.shape.store === 'branches';
  if (site.stores.length !== 1 && !branches) throw new SkipSite('unsupported-shape', 'more than one store');
  if (site.aliases.length > 0 || site.flags.aliasReads) return aliasShape(site, store, ctx);
  if (parentOf(store)?.type === 'AssignmentExpression') throw new SkipSite('alias-read');
  const ref = nodeText(guard.read, text);
  const awaitedInit = site.initializer.kind === 'awaited';
  const storedInit = site.initializer.node;
  const initialAwait = awaitedInit && storedInit.type === 'AwaitExpression' && site.initializer.awaits.length === 1;
  const init = initialAwait ? (storedInit as TSESTree.AwaitExpression).argument : storedInit;
  const nestedAwait = awaitedInit && !initialAwait;
  if (containsOwn(storedInit, new Set(['YieldExpression']))) throw new SkipSite('unsupported-shape', 'the initializer yields');
  const base: { site: LazySite; ref: string; init: TSESTree.Node; asyncInit: boolean } = { site, ref, init, asyncInit: nestedAwait };
  const G = guard.node;
  // The rewrite drops the test: it must test the slot and nothing else.
  if ((G.type === 'IfStatement' || G.type === 'ConditionalExpression') && G.test !== guard.test) {
    throw new SkipSite('unsupported-shape', 'the guard tests more than the slot');
  }

  if (G.type === 'IfStatement' && guard.kind !== 'early-return') {
    if (G.alternate) throw new SkipSite('unsupported-shape', 'the guard has an `else` branch');
    const consequent = G.consequent;
    let prelude: Shape['prelude'];
    const guarded = consequent.type === 'BlockStatement' ? consequent.body : [consequent];
    const last = guarded.at(-1);
    const storesLast = last?.type === 'ExpressionStatement' && last.expression === store;
    if (branches || site.flags.workAfterStore || (!storesLast && !isRecheck(last, store, site) && !containsOwn(consequent, RETURN_LIKE))) {
      prelude = regionPrelude(site, guarded, ctx);
      base.asyncInit = prelude.facts.awaits;
    } else if (consequent.type === 'BlockStatement') {
      const last = consequent.body.at(-1);
      const storesDirectly = last?.type === 'ExpressionStatement' && last.expression === store;
      if (!storesDirectly && !isRecheck(last, store, site)) {
        throw new SkipSite('unsupported-shape', 'the store is not the last statement of the guard');
      }
      const computed = storesDirectly ? undefined : computedThenStored(consequent, store);
      if (computed !== undefined) {
        // `if (!x) { const v = await load(); if (!x) x = v; }`: the value is `load()`; the re-check has no job left.
        const single = computed.type === 'AwaitExpression' && countAwaits(computed) === 1;
        base.init = single ? computed.argument : computed;
        base.asyncInit = !single && countAwaits(computed) > 0;
      } else if (consequent.body.length > 1 || !storesDirectly) {
        const before = consequent.body.slice(0, -1);
        if (before.some((statement) => containsOwn(statement, RETURN_LIKE) || touchesSlot(statement, site))) {
          throw new SkipSite('unsupported-shape', 'the guard does more than compute and store the value');
        }
        prelude = { kind: 'block', block: consequent, store: last! };
      }
    } else if (consequent.type !== 'ExpressionStatement' || consequent.expression !== store) {
      throw new SkipSite('unsupported-shape', 'the guard does more than store the value');
    }
    if (prelude !== undefined && prelude.kind !== 'region' && awaitedInit && !site.initializer.awaits.every((node) => contains(store, node))) {
      base.asyncInit = true;
    }
    if (awaitedInit && prelude === undefined && base.init === init && !site.initializer.awaits.every((node) => contains(storedInit, node))) {
      throw new SkipSite('unsupported-shape', 'an `await` runs outside the stored expression');
    }
    const siblings = statementSiblings(G);
    const next = siblings?.list[siblings.index + 1];
    if (returnsSlotRead(next, site)) {
      return { ...base, form: 'return', start: G.range[0], end: next.range[1], semicolon: endsWithSemicolon(next, text), prelude };
    }
    return { ...base, ...statementForm(G, site, group, text), semicolon: ctx.style.semicolons, prelude };
  }

  if (G.type === 'IfStatement' && guard.kind === 'early-return') {
    // `if (x) return x;` ... `x = init();` `return x;` (or `return (x = init());`).
    const siblings = statementSiblings(G);
    const finalStore = storeStatement(store);
    const regionEnd = siblings?.list.findIndex((statement, index) => index > siblings.index && returnsSlotRead(statement, site)) ?? -1;
    const plainStore =
      finalStore !== undefined &&
      siblings !== undefined &&
      siblings.list.indexOf(finalStore as never) > siblings.index &&
      (finalStore.type === 'ReturnStatement' || returnsSlotRead(siblings.list[siblings.list.indexOf(finalStore as never) + 1], site));
    if ((branches || site.flags.workAfterStore || !plainStore) && siblings !== undefined && regionEnd > siblings.index + 1 && !(finalStore?.type === 'ReturnStatement')) {
      const end = siblings.list[regionEnd]!;
      const region = regionPrelude(site, siblings.list.slice(siblings.index + 1, regionEnd) as Node[], ctx);
      return { ...base, asyncInit: region.facts.awaits, form: 'return', start: G.range[0], end: end.range[1], semicolon: endsWithSemicolon(end, text), prelude: region };
    }
    if (branches) throw new SkipSite('branch-store');
    if (siblings === undefined || finalStore === undefined) throw new SkipSite('unsupported-shape', 'the store is not a statement after the early return');
    const storeIndex = siblings.list.indexOf(finalStore as never);
    if (storeIndex <= siblings.index) throw new SkipSite('unsupported-shape', 'the store is not a statement after the early return');
    let end: Node = finalStore;
    if (finalStore.type !== 'ReturnStatement') {
      const next = siblings.list[storeIndex + 1];
      if (!returnsSlotRead(next, site)) throw new SkipSite('unsupported-shape', 'the store is not followed by a `return` of the slot');
      end = next;
    }
    const between = siblings.list.slice(siblings.index + 1, storeIndex) as Node[];
    if (between.some((statement) => containsOwn(statement, RETURN_LIKE) || touchesSlot(statement, site))) {
      throw new SkipSite('unsupported-shape', 'statements between the guard and the store do more than compute the value');
    }
    const prelude: Shape['prelude'] =
      between.length > 0 ? { kind: 'statements', start: between[0]!.range[0], end: between.at(-1)!.range[1], nodes: between } : undefined;
    if (awaitedInit && !site.initializer.awaits.every((node) => contains(storedInit, node))) base.asyncInit = true;
    return { ...base, form: 'return', start: G.range[0], end: end.range[1], semicolon: endsWithSemicolon(end, text), prelude };
  }

  // Expression guards: `x ??= init()`, `x || (x = init())`, `x = x ?? init()`, `x ? x : (x = init())`.
  if (branches) throw new SkipSite('branch-store');
  if (G.type !== 'AssignmentExpression' && G.type !== 'LogicalExpression' && G.type !== 'ConditionalExpression') {
    throw new SkipSite('unsupported-shape', `a \`${G.type}\` guard`);
  }
  if (awaitedInit && !site.initializer.awaits.every((node) => contains(storedInit, node))) {
    throw new SkipSite('unsupported-shape', 'an `await` runs outside the stored expression');
  }
  const statement = statementOf(G);
  if (statement !== undefined) {
    const siblings = statementSiblings(statement);
    const next = siblings?.list[siblings.index + 1];
    if (returnsSlotRead(next, site)) {
      return { ...base, form: 'return', start: statement.range[0], end: next.range[1], semicolon: endsWithSemicolon(next, text), prelude: undefined };
    }
    return { ...base, ...statementForm(statement, site, group, text), semicolon: endsWithSemicolon(statement, text), prelude: undefined };
  }
  const parent = parentOf(G);
  const unwrapParens =
    parent?.type === 'ReturnStatement' ||
    parent?.type === 'ArrowFunctionExpression' ||
    parent?.type === 'VariableDeclarator' ||
    (parent?.type === 'AssignmentExpression' && parent.right === G);
  const [start, end] = unwrapParens ? parenthesizedRange(G, ctx.parsed.ast.tokens ?? []) : G.range;
  // An arrow body that is an object literal would need its parentheses; a call never is one.
  return { ...base, form: 'expression', start, end, semicolon: false, prelude: undefined };
};

/** The guarded statements as the initializer's body, or the reason they cannot be. */
const regionPrelude = (site: LazySite, statements: readonly Node[], ctx: PlanContext): RegionPrelude => {
  const writes = [...site.stores, ...site.otherWriters.map((writer) => writer.node)];
  const facts = regionFacts(statements, writes, site.reads.map((read) => read.node));
  if (typeof facts === 'string') throw new SkipSite('unsupported-shape', facts);
  if (facts.writes.some((write) => write.operator === '=' && EMPTY_LITERALS(write.right))) {
    throw new SkipSite('unsupported-shape', 'the guarded code stores an empty value');
  }
  const start = statements[0]!.range[0];
  const end = statements.at(-1)!.range[1];
  const outside = site.otherWriters.filter((writer) => writer.node.range[0] < start || writer.node.range[1] > end);
  // A callback that reads the local sees the first value for good; the slot would have shown a later one.
  if (facts.nestedReads && outside.length > 0) throw new SkipSite('unsupported-shape', 'a callback in the guarded code reads a slot that is written elsewhere');
  return { kind: 'region', start, end, nodes: statements, facts, local: localName(site.slot.name.replace(/^this\./, ''), ctx.parsed.ast) };
};

/** Inside the region the slot is the local: reads read it, stores write it, a leading store declares it. */
const regionEdits = (prelude: RegionPrelude, valueAnnotation: string, ctx: PlanContext): TextEdit[] => {
  const { facts, local } = prelude;
  const edits: TextEdit[] = [];
  for (const read of facts.reads) {
    const parent = parentOf(read);
    edits.push(
      parent?.type === 'Property' && parent.shorthand && parent.value === read
        ? { start: parent.range[0], end: parent.range[1], text: `${nodeText(read, ctx.text)}: ${local}` }
        : { start: read.range[0], end: read.range[1], text: local },
    );
  }
  for (const write of facts.writes) {
    edits.push(
      write === facts.leadingStore
        ? { start: write.range[0], end: write.right.range[0], text: `${facts.writes.length === 1 ? 'const' : 'let'} ${local}${valueAnnotation} = ` }
        : { start: write.left.range[0], end: write.left.range[1], text: local },
    );
  }
  return edits;
};

/**
 * A region must not run the file's functions that use the slot elsewhere: they would find the cell still empty (or
 * run `getOrInit` inside `getOrInit`).
 */
const checkRegionReach = (shapes: readonly Shape[], ctx: PlanContext): void => {
  for (const shape of shapes) {
    const prelude = shape.prelude;
    if (prelude?.kind !== 'region') continue;
    const within = (node: Node): boolean => node.range[0] >= prelude.start && node.range[1] <= prelude.end;
    const targets = new Set<Node>();
    for (const other of shapes) {
      const fn = siteFunction(other.site);
      if (fn !== undefined) targets.add(fn);
      for (const read of other.site.reads) if (!within(read.node)) targets.add(enclosingFunction(read.node));
      for (const writer of other.site.otherWriters) if (!within(writer.node)) targets.add(enclosingFunction(writer.node));
    }
    for (const target of targets) {
      if (prelude.nodes.some((statement) => reachesAny(statement, new Set([target]), ctx.parsed.scopeManager))) {
        const name = functionName(target);
        throw new SkipSite('reentrant-initializer', `the guarded code runs ${name === undefined ? 'a function' : `\`${name}\``}, which uses the same slot`);
      }
    }
  }
};

/**
 * The slot read through a local alias: `let a = this._a; if (!a) { a = this._a = init(); } return a;`. The alias
 * must be used nowhere else; the three statements become `return this._a.getOrInit(() => init());`.
 */
const aliasShape = (site: LazySite, store: TSESTree.AssignmentExpression, ctx: PlanContext): Shape => {
  const { text } = ctx;
  const G = site.guard.node;
  const alias = site.aliases.length === 1 ? site.aliases[0] : undefined;
  const declarator = alias?.defs.length === 1 ? alias.defs[0]?.node : undefined;
  const declaration = declarator === undefined ? undefined : parentOf(declarator);
  const siblings = G.type === 'IfStatement' ? statementSiblings(G) : undefined;
  if (
    alias === undefined ||
    declarator?.type !== 'VariableDeclarator' ||
    declaration?.type !== 'VariableDeclaration' ||
    declaration.declarations.length !== 1 ||
    G.type !== 'IfStatement' ||
    G.alternate ||
    siblings === undefined ||
    site.guard.kind === 'early-return' ||
    siblings.list[siblings.index - 1] !== declaration
  ) {
    throw new SkipSite('alias-read');
  }
  const consequent = G.consequent.type === 'BlockStatement' && G.consequent.body.length === 1 ? G.consequent.body[0] : G.consequent;
  const outer = parentOf(store);
  const next = siblings.list[siblings.index + 1];
  const returnsAlias =
    next?.type === 'ReturnStatement' && next.argument !== null && unwrapTs(next.argument).type === 'Identifier' && alias.references.some((reference) => reference.identifier === unwrapTs(next.argument!));
  if (
    consequent?.type !== 'ExpressionStatement' ||
    consequent.expression !== outer ||
    outer?.type !== 'AssignmentExpression' ||
    outer.operator !== '=' ||
    outer.left.type !== 'Identifier' ||
    outer.left.name !== alias.name ||
    !returnsAlias
  ) {
    throw new SkipSite('alias-read');
  }
  const region = { range: [declaration.range[0], next.range[1]] as TSESTree.Range };
  if (!alias.references.every((reference) => contains(region, reference.identifier))) throw new SkipSite('alias-read');
  if (site.initializer.kind === 'awaited') throw new SkipSite('alias-read');
  return {
    site,
    form: 'return',
    start: declaration.range[0],
    end: next.range[1],
    semicolon: endsWithSemicolon(next, text),
    init: store.right,
    asyncInit: false,
    prelude: undefined,
    ref: nodeText(store.left, text),
  };
};

/** `if (!x) x = v;` (or with braces) re-checking the slot right before the store. */
const isRecheck = (statement: Node | undefined, store: TSESTree.AssignmentExpression, site: LazySite): boolean => {
  if (statement?.type !== 'IfStatement' || statement.alternate) return false;
  const consequent = statement.consequent;
  const only = consequent.type === 'BlockStatement' && consequent.body.length === 1 ? consequent.body[0] : consequent;
  return (
    only?.type === 'ExpressionStatement' &&
    only.expression === store &&
    site.reads.some((read) => contains(statement.test, read.node))
  );
};

/**
 * `{ const v = <expr>; <store of v> }` where `v` is used nowhere else: the stored value is `<expr>`.
 */
const computedThenStored = (block: TSESTree.BlockStatement, store: TSESTree.AssignmentExpression): TSESTree.Expression | undefined => {
  const [declaration, last] = block.body;
  if (block.body.length !== 2 || declaration?.type !== 'VariableDeclaration' || declaration.kind === 'var' || last === undefined) return undefined;
  const declarator = declaration.declarations.length === 1 ? declaration.declarations[0] : undefined;
  const value = unwrapTs(store.right);
  if (declarator?.id.type !== 'Identifier' || !declarator.init || value.type !== 'Identifier' || value.name !== declarator.id.name) return undefined;
  const name = declarator.id.name;
  let uses = 0;
  walk(block, (node) => {
    if (node.type === 'Identifier' && node.name === name) uses++;
  });
  return uses === 2 ? declarator.init : undefined;
};

const countAwaits = (root: Node): number => {
  let count = 0;
  walk(root, (node) => {
    if (node !== root && isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression') count++;
    return undefined;
  });
  return count;
};

/**
 * An ensure-guard statement (`if (!x) x = init();` followed by code that uses `x`): when the next statement's first
 * evaluated operation is a read of the slot, the guard goes away and that read becomes the access; otherwise the guard
 * becomes the access as a statement.
 */
const statementForm = (
  statement: Node,
  site: LazySite,
  group: readonly LazySite[],
  text: string,
): { form: 'statement'; start: number; end: number; inlineRead?: Node } => {
  const siblings = statementSiblings(statement);
  const next = siblings?.list[siblings.index + 1];
  const first =
    next === undefined
      ? undefined
      : site.reads.filter((read) => contains(next, read.node)).sort((a, b) => a.node.range[0] - b.node.range[0])[0];
  // The read of another site's guard or return is rewritten with that site.
  if (first !== undefined && (first.role === 'guard' || first.role === 'return' || group.some((other) => other !== site && contains(other.guard.node, first.node)))) {
    return { form: 'statement', start: statement.range[0], end: statement.range[1] };
  }
  // A read called as a function keeps its `this` (undefined) only as `get()(...)`; `cell.value(...)` would pass the cell.
  const called = first !== undefined && isCallee(first.node);
  if (next === undefined || first === undefined || called || !evaluatedFirst(first.node, next)) {
    return { form: 'statement', start: statement.range[0], end: statement.range[1] };
  }
  // Remove the guard's whole line when it has one to itself; otherwise just the guard.
  const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
  const newline = text.indexOf('\n', statement.range[1]);
  // A comment after the guard on its line goes with the line (and is written again where it was).
  const rest = text.slice(statement.range[1], newline).replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
  const ownLine = startsLine(text, statement.range[0]) && newline !== -1 && rest.trim() === '' && newline < next.range[0];
  if (!ownLine) return { form: 'statement', start: statement.range[0], end: statement.range[1], inlineRead: first.node };
  // A blank line that set the guard apart from the code below goes with it when nothing but a blank line or the
  // block's opening brace stands above, so the block does not start with (or gain a second) empty line.
  const blankEnd = text.indexOf('\n', newline + 1);
  const blankAfter = blankEnd !== -1 && blankEnd < next.range[0] && text.slice(newline + 1, blankEnd).trim() === '';
  const above = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart).trim();
  const end = blankAfter && lineStart > 0 && (above === '' || above.endsWith('{')) ? blankEnd + 1 : newline + 1;
  return { form: 'statement', start: lineStart, end, inlineRead: first.node };
};

/** Nothing in `statement` is evaluated before `node`: it is the leftmost operand all the way up. */
const evaluatedFirst = (node: Node, statement: Node): boolean => {
  let child = node;
  for (let parent = parentOf(child); parent !== undefined; child = parent, parent = parentOf(child)) {
    const ok =
      (parent.type === 'MemberExpression' && parent.object === child) ||
      (parent.type === 'CallExpression' && parent.callee === child) ||
      parent.type === 'ChainExpression' ||
      parent.type === 'TSNonNullExpression' ||
      parent.type === 'TSAsExpression' ||
      parent.type === 'TSSatisfiesExpression' ||
      parent.type === 'AwaitExpression' ||
      ((parent.type === 'BinaryExpression' || parent.type === 'LogicalExpression') && parent.left === child) ||
      (parent.type === 'UnaryExpression' && parent.operator !== 'delete') ||
      (parent.type === 'ArrayExpression' && parent.elements[0] === child) ||
      parent.type === 'SpreadElement' ||
      (parent.type === 'CallExpression' && parent.arguments[0] === child && parent.callee.type === 'Identifier') ||
      (parent.type === 'AssignmentExpression' && parent.right === child && parent.left.type === 'Identifier') ||
      (parent.type === 'VariableDeclarator' && parent.init === child) ||
      (parent.type === 'VariableDeclaration' && parent.declarations[0] === child) ||
      (parent.type === 'IfStatement' && parent.test === child) ||
      (parent.type === 'SwitchStatement' && parent.discriminant === child) ||
      parent.type === 'ReturnStatement' ||
      parent.type === 'ThrowStatement' ||
      parent.type === 'ExpressionStatement';
    if (!ok) return false;
    if (parent === statement) return true;
  }
  return false;
};

/** `statement` reads or writes the slot (outside the store the site itself performs). */
const touchesSlot = (statement: Node, site: LazySite): boolean =>
  site.reads.some((read) => contains(statement, read.node)) ||
  site.otherWriters.some((writer) => contains(statement, writer.node));

// ---------------------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------------------

const SLOT_EMPTY_INCLUDES: Record<string, ReadonlySet<'undefined' | 'null'>> = {
  undefined: new Set(['undefined']),
  null: new Set(['null']),
  nullish: new Set(['undefined', 'null']),
  falsy: new Set(['undefined', 'null']),
};

const tsNodeOf = (node: Node, ctx: PlanContext): ts.Node | undefined => ctx.parsed.typeInfo?.esTreeNodeToTSNodeMap.get(node);

/** Type of the value the initializer stores (for `awaited`, the value after the `await`). */
const storedType = (site: LazySite, ctx: PlanContext): ts.Type | undefined => {
  const info = ctx.parsed.typeInfo;
  const tsNode = tsNodeOf(site.initializer.node, ctx);
  if (info === undefined || tsNode === undefined) return undefined;
  return info.checker.getTypeAtLocation(tsNode);
};

const typeParametersOf = (node: Node | undefined): Set<string> => {
  const names = new Set<string>();
  for (let current = node; current !== undefined; current = parentOf(current)) {
    const parameters = (current as { typeParameters?: TSESTree.TSTypeParameterDeclaration }).typeParameters;
    for (const parameter of parameters?.params ?? []) names.add(parameter.name.name);
  }
  return names;
};

/**
 * A falsy guard (`!x`, `||=`) re-runs an initializer that produced a falsy value; a cell keeps it. Likewise a
 * nullish guard and `null`/`undefined`. The site is rewritten only when the initializer cannot produce a value its
 * guard treats as empty: from types when there are, from syntax and annotations (conservatively) otherwise.
 */
const checkEmptyValues = (site: LazySite, slug: TransformSlug, ctx: PlanContext, values: readonly Node[] = [site.initializer.node]): void => {
  if (slug === 'promise-cache') return; // A promise is an object: never falsy, never nullish.
  const empty = site.guard.kind === 'early-return' ? (site.guard.earlyReturnTest ?? site.guard.empty) : site.guard.empty;
  const type = storedType(site, ctx);
  const project = ctx.parsed.typeInfo?.project;
  const { ast } = ctx.parsed;
  if (empty === 'falsy') {
    if (project !== undefined && type !== undefined) {
      if (project.mayBeFalsy(type)) throw new SkipSite('falsy-initializer', `its type is \`${project.checker.typeToString(type)}\``);
      return;
    }
    if (values.every((value) => expressionIsTruthy(unwrapAwait(value), ast))) return;
    const annotation = stripNullishType(slotAnnotation(site), ctx.text)?.node ?? returnAnnotation(site, slug);
    if (annotation !== undefined && !typeNodeMayBeFalsy(annotation, ast, typeParametersOf(site.accessor?.node))) return;
    throw new SkipSite('falsy-initializer', 'without type information nothing shows it is never falsy');
  }
  if (project !== undefined && type !== undefined) {
    const includes = SLOT_EMPTY_INCLUDES[empty]!;
    if ((includes.has('undefined') && project.mayBeUndefined(type)) || (includes.has('null') && project.mayBeNull(type))) {
      throw new SkipSite('nullish-initializer', `its type is \`${project.checker.typeToString(type)}\``);
    }
  }
};

const unwrapAwait = (node: Node): Node => (node.type === 'AwaitExpression' ? node.argument : node);

/** The slot's declared type: its annotation, or for an object-literal property `undefined as T`'s `T`. */
const slotAnnotation = (site: LazySite): TSESTree.TypeNode | undefined => {
  if (site.slot.typeAnnotation !== undefined) return site.slot.typeAnnotation;
  const declaration = site.slot.declaration;
  if (declaration?.type !== 'Property') return undefined;
  const value = declaration.value;
  return value.type === 'TSAsExpression' || value.type === 'TSSatisfiesExpression' ? value.typeAnnotation : undefined;
};

/** The accessor's declared return type, when it hands the slot out (for async accessors, inside `Promise<...>`). */
const returnAnnotation = (site: LazySite, slug: TransformSlug): TSESTree.TypeNode | undefined => {
  const accessor = site.accessor;
  if (accessor === undefined || !accessor.returnsSlot) return undefined;
  const annotation = accessor.node.returnType?.typeAnnotation;
  if (annotation === undefined) return undefined;
  const wrapped = accessor.async || slug === 'promise-cache';
  if (!wrapped) return annotation;
  if (annotation.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier' && annotation.typeName.name === 'Promise') {
    return annotation.typeArguments?.params[0];
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// Naming T
// ---------------------------------------------------------------------------------------------------------------

/**
 * `T` for the cell, as source text valid where the cell is declared: from the slot's annotation, the accessor's
 * return type, or the checker; `undefined` when none of them names it.
 */
const valueTypeText = (sites: readonly LazySite[], slug: TransformSlug, ctx: PlanContext, location: Node | undefined): string | undefined => {
  const site = sites[0]!;
  const { text } = ctx;
  const stripped = stripNullishType(slotAnnotation(site), text);
  if (stripped !== undefined) {
    if (slug !== 'promise-cache') return stripped.text;
    const inner = unwrapPromiseType(stripped.node, text);
    if (inner !== undefined) return inner;
  }
  // The accessor's return type is visible where the slot is declared unless it names the accessor's own type
  // parameters.
  for (const candidate of sites) {
    const annotation = returnAnnotation(candidate, slug);
    if (annotation === undefined) continue;
    const own = new Set((candidate.accessor?.node.typeParameters?.params ?? []).map((parameter) => parameter.name.name));
    if (referencedTypeNames(annotation).some((name) => own.has(name))) continue;
    if (slug === 'promise-cache') {
      const inner = unwrapPromiseType(annotation, text);
      if (inner !== undefined) return inner;
      continue;
    }
    return nodeText(annotation, text);
  }
  const info = ctx.parsed.typeInfo;
  const type = storedType(site, ctx);
  const tsLocation = location === undefined ? undefined : tsNodeOf(location, ctx);
  if (info === undefined || type === undefined || tsLocation === undefined) return undefined;
  let valueType = slug === 'promise-cache' ? info.checker.getAwaitedType(type) : type;
  if (valueType === undefined) return undefined;
  valueType = info.checker.getBaseTypeOfLiteralType(valueType);
  return info.project.nameType(valueType, tsLocation);
};

// ---------------------------------------------------------------------------------------------------------------
// Planning a slot
// ---------------------------------------------------------------------------------------------------------------

type Cell = 'LazyCell' | 'OnceCell' | 'OnceLock';

const EMPTY_LITERALS = (node: Node | null | undefined): boolean => {
  if (node === null || node === undefined) return true;
  const value = unwrapTs(node);
  if (value.type === 'Identifier') return value.name === 'undefined';
  if (value.type === 'Literal') return value.value === null && !('regex' in value && value.regex);
  return value.type === 'UnaryExpression' && value.operator === 'void';
};

/**
 * Plans the rewrite of every site on one slot; throws `SkipSite` when any part cannot be rewritten safely.
 */
export const planSlot = (sites: readonly LazySite[], slug: TransformSlug, ctx: PlanContext, prior: readonly TextEdit[] = []): SlotPlan => {
  const site = sites[0]!;
  const { slot } = site;
  const { text, parsed } = ctx;

  // The shape: forms the planner handles, the rest skipped with their reason.
  for (const each of sites) {
    if (each.shape.slotPath !== 'direct') throw new SkipSite('shared-slot');
    if (each.shape.store === 'conditional') throw new SkipSite('conditional-store');
    if (each.shape.store === 'once-flag') throw new SkipSite('once-flag');
    if (each.shape.context !== 'on-demand') throw new SkipSite('construction-context');
    if (each.guard.empty === 'sentinel') throw new SkipSite('sentinel-guard');
  }

  // The slot.
  if (slot.kind === 'global') throw new SkipSite('unsupported-slot', 'a property of the global object');
  for (const each of sites) {
    if (classify(each, text) !== slug) throw new SkipSite('unsupported-shape', 'its sites store different kinds of values');
    if (each.flags.triStateNull) throw new SkipSite('tri-state-null');
    if (each.flags.pairedSlotKey !== undefined) throw new SkipSite('paired-slot');
    if (each.flags.replacesPromiseWithValue) throw new SkipSite('promise-replaced-by-value');
    if (each.accessor?.node.generator) throw new SkipSite('unsupported-shape', 'the accessor is a generator');
  }
  checkExported(site, ctx);

  // Shapes and behaviour checks for every site on the slot.
  const shapes = sites.map((each) => shapeOf(each, sites, ctx));
  for (const shape of shapes) {
    if (shape.prelude?.kind !== 'region') continue;
    if (slug === 'promise-cache' && parsed.typescript && stripNullishType(slotAnnotation(shape.site), ctx.text) === undefined) {
      throw new SkipSite('unnameable-type', 'the promise is built in more than one statement and the slot has no type annotation');
    }
    if (shape.prelude.facts.awaits && slug !== 'async-init-race') throw new SkipSite('unsupported-shape', 'the guarded code awaits');
  }
  checkRegionReach(shapes, ctx);
  for (const [index, each] of sites.entries()) {
    const prelude = shapes[index]!.prelude;
    const values = prelude?.kind === 'region' ? prelude.facts.writes.filter((write) => write.operator === '=').map((write) => write.right) : [each.initializer.node];
    checkEmptyValues(each, slug, ctx, values);
  }
  const delegated = delegatingShapes(shapes, slug, ctx);

  // Other writers: resets become `take()`, the rest has no runtime equivalent.
  const stores = new Set<Node>(sites.flatMap((each) => each.stores));
  for (const shape of shapes) if (shape.prelude?.kind === 'region') for (const write of shape.prelude.facts.writes) stores.add(write);
  const writers = new Map<Node, Writer>();
  for (const each of sites) for (const writer of each.otherWriters) if (!stores.has(writer.node)) writers.set(writer.node, writer);
  const emptyValues = new Set(sites.flatMap((each) => [...SLOT_EMPTY_INCLUDES[each.guard.empty]!]));
  const takes: TextEdit[] = [];
  for (const writer of writers.values()) takes.push(takeEdit(writer, emptyValues, sites, ctx));

  // The cell.
  const movable = sites.length === 1 && takes.length === 0 && canMoveInitializer(shapes[0]!, ctx);
  const cell: Cell =
    slug === 'promise-cache' || slug === 'async-init-race'
      ? 'OnceLock'
      : (slug === 'module-lazy-slot' || slug === 'static-singleton') && movable
        ? 'LazyCell'
        : 'OnceCell';
  if (ctx.clashes.has(cell)) throw new SkipSite('cell-name-conflict', `this file already has a \`${cell}\``);
  const declaration = declarationSite(site, ctx);
  let typeArgument = '';
  let valueAnnotation = '';
  if (parsed.typescript) {
    const typeText = valueTypeText(sites, slug, ctx, declaration.typeLocation);
    if (typeText === undefined && cell !== 'LazyCell') throw new SkipSite('unnameable-type');
    if (typeText !== undefined) typeArgument = `<${typeText}>`;
    if (typeText !== undefined) valueAnnotation = `: ${typeText}`;
    // A promise cache's local holds the promise, typed as the slot was.
    const promiseType = slug === 'promise-cache' ? stripNullishType(slotAnnotation(site), ctx.text) : undefined;
    if (promiseType !== undefined) valueAnnotation = `: ${promiseType.text}`;
  }

  // An ensure-guard followed by reads of the value keeps the value in a local instead of reading the cell again.
  const locals = takes.length === 0 ? valueLocals(shapes, ctx) : new Map<Shape, ValueLocal>();
  const localReads = new Map<Node, string>();
  for (const local of locals.values()) for (const read of local.reads) localReads.set(read, local.name);

  // Reads elsewhere become `.get()`, edits inside the moved initializers included.
  const inner: TextEdit[] = [...takes];
  for (const shape of shapes) if (shape.prelude?.kind === 'region') inner.push(...regionEdits(shape.prelude, valueAnnotation, ctx));
  const regions = shapes.map((shape) => ({ range: [shape.start, shape.end] as TSESTree.Range }));
  const seen = new Set<Node>();
  for (const each of sites) {
    for (const read of each.reads) {
      if (seen.has(read.node)) continue;
      seen.add(read.node);
      if (shapes.some((shape) => shape.inlineRead === read.node)) continue;
      const insideRegion = regions.some((region) => contains(region, read.node));
      const insideInit = shapes.some((shape) => contains(shape.init, read.node));
      if (insideRegion && !insideInit) continue;
      const local = localReads.get(read.node);
      if (local !== undefined) {
        const parent = parentOf(read.node);
        inner.push(
          parent?.type === 'Property' && parent.shorthand && parent.value === read.node
            ? { start: parent.range[0], end: parent.range[1], text: `${nodeText(read.node, text)}: ${local}` }
            : { start: read.node.range[0], end: read.node.range[1], text: local },
        );
        continue;
      }
      inner.push(readEdit(read.node, shapes, cell, ctx));
    }
  }
  const consumed = new Set<TextEdit>();
  const consumedPrior = new Set<TextEdit>();
  const priorSet = new Set(prior);
  const copy = (start: number, end: number): string => {
    const within = [...inner, ...prior]
      .filter((edit) => edit.start >= start && edit.end <= end && !(edit.start === edit.end && (edit.start === start || edit.start === end)))
      .sort((a, b) => a.start - b.start);
    let out = '';
    let cursor = start;
    for (const edit of within) {
      out += text.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
      (priorSet.has(edit) ? consumedPrior : consumed).add(edit);
    }
    return out + text.slice(cursor, end);
  };

  const docEdit = docTypeEdit(declaration, cell, ctx);

  const preserve = slug === 'promise-cache' && ctx.options.preserveFailureCaching && !sites.some((each) => each.flags.clearedOnRejection);
  const options = preserve ? `{ failure: 'cache' }` : '';
  const edits: TextEdit[] = [];
  const shape0 = shapes[0]!;
  if (cell === 'LazyCell') {
    const indent = lineIndentAt(text, declaration.anchor);
    edits.push(...declaration.edits(`new LazyCell${typeArgument}(${initializerFunction(shape0, indent, copy, ctx)})`));
    for (const shape of shapes) edits.push(...siteEdits(shape, withLocal(locals.get(shape), `${shape.ref}.value`), ctx));
  } else {
    edits.push(...declaration.edits(`new ${cell}${typeArgument}(${options})`));
    const awaitPrefix = slug === 'async-init-race' ? 'await ' : '';
    for (const shape of shapes) {
      if (delegated.has(shape)) {
        // The value came from the slot's own accessor, which now fills the cell: the site calls it.
        edits.push(...siteEdits(shape, copy(shape.init.range[0], shape.init.range[1]), ctx));
        continue;
      }
      const indent = lineIndentAt(text, shape.start);
      edits.push(...siteEdits(shape, withLocal(locals.get(shape), `${awaitPrefix}${shape.ref}.getOrInit(${initializerFunction(shape, indent, copy, ctx, valueAnnotation)})`), ctx));
    }
  }
  for (const edit of inner) if (!consumed.has(edit)) edits.push(edit);
  if (docEdit !== undefined) edits.push(docEdit);

  const reports = sites.map((each): SiteReport => rewrittenReport(each, slug, cell, preserve));
  for (let index = 0; index < edits.length; index++) {
    if (edits.slice(index + 1).some((other) => editsConflict(edits[index]!, other))) {
      throw new SkipSite('unsupported-shape', 'its sites overlap one another');
    }
  }
  return { edits, consumed: consumedPrior, needs: new Set([cell]), reports };
};

// ---------------------------------------------------------------------------------------------------------------
// Locals
// ---------------------------------------------------------------------------------------------------------------

interface ValueLocal {
  readonly name: string;
  readonly reads: readonly Node[];
}

const withLocal = (local: ValueLocal | undefined, access: string): string => (local === undefined ? access : `const ${local.name} = ${access}`);

/**
 * `x ??= init();` as a statement, then reads of `x` in the statements after it: the access becomes
 * `const xValue = x.getOrInit(...)` and those reads read `xValue`, rather than `x.get()!` each. Only for slots with no
 * other writer, so the cell never changes once full and the local always equals what the cell holds.
 */
const valueLocals = (shapes: readonly Shape[], ctx: PlanContext): Map<Shape, ValueLocal> => {
  const locals = new Map<Shape, ValueLocal>();
  const taken = new Set<string>();
  walk(ctx.parsed.ast, (node) => void (node.type === 'Identifier' && taken.add(node.name)));
  for (const shape of shapes) {
    if (shape.form !== 'statement' || shape.inlineRead !== undefined) continue;
    const statement = shape.site.guard.node.type === 'IfStatement' ? shape.site.guard.node : parentOf(shape.site.guard.node);
    if (statement === undefined || statement.range[0] < shape.start || statement.range[1] > shape.end) continue;
    const siblings = statementSiblings(statement);
    if (siblings === undefined) continue;
    const after = siblings.list.slice(siblings.index + 1) as Node[];
    const reads = shape.site.reads
      .map((read) => read.node)
      .filter((node) => after.some((each) => contains(each, node)))
      .filter((node) => !shapes.some((other) => other !== shape && node.range[0] >= other.start && node.range[1] <= other.end));
    if (reads.length === 0) continue;
    // `typeof x`, `delete x` and reads in types stay as the reads edit makes them (or skip the slot).
    if (reads.some((node) => parentOf(node)?.type === 'UnaryExpression' || parentOf(node)?.type === 'TSTypeQuery' || parentOf(node)?.type === 'ExportSpecifier')) continue;
    const base = `${shape.site.slot.name.replace(/^.*[.#]/, '').replace(/^_+/, '').replace(/[^\w$]/g, '') || 'value'}Value`;
    let name = base;
    for (let index = 2; taken.has(name); index++) name = `${base}${index}`;
    taken.add(name);
    locals.set(shape, { name, reads });
  }
  return locals;
};

// ---------------------------------------------------------------------------------------------------------------
// Reentrancy
// ---------------------------------------------------------------------------------------------------------------

/** The function a site's guard runs in: its accessor, else the function around the guard. */
const siteFunction = (site: LazySite): Node | undefined => site.accessor?.node ?? enclosingFunction(site.guard.node);

/** The code that runs to compute a site's value: the stored expression and any statements moved with it. */
const initializerRegions = (shape: Shape): readonly Node[] => {
  const prelude = shape.prelude;
  if (prelude === undefined) return [shape.init];
  return prelude.kind === 'block' ? [prelude.block] : [...prelude.nodes, shape.init];
};

const isPlainArgument = (node: Node): boolean => {
  const value = unwrapTs(node);
  return value.type === 'Identifier' || value.type === 'Literal' || value.type === 'ThisExpression';
};

/**
 * Every site of a slot is planned together, so that no initializer reaches its own cell: the cell's `getOrInit`
 * runs in each accessor, and an initializer that runs one of them (`lib ??= loadLib()` where `loadLib` fills `lib`)
 * would run `getOrInit` inside `getOrInit`. A site whose value is exactly a call of another site's accessor, one that
 * returns the slot, becomes that call: the accessor fills the cell and hands its value back, as the store did. Any
 * other initializer that reaches an accessor of the slot through the file's calls makes the slot skipped.
 */
const delegatingShapes = (shapes: readonly Shape[], slug: TransformSlug, ctx: PlanContext): Set<Shape> => {
  const manager = ctx.parsed.scopeManager;
  const accessors = new Map<Node, LazySite>();
  for (const shape of shapes) {
    const fn = siteFunction(shape.site);
    if (fn !== undefined) accessors.set(fn, shape.site);
  }
  const targets = new Set<Node>(accessors.keys());
  const delegated = new Set<Shape>();
  for (const shape of shapes) {
    const init = unwrapTs(shape.init);
    const callee = calledFunction(init, manager);
    const owner = callee === undefined ? undefined : accessors.get(callee);
    const delegates =
      owner !== undefined &&
      owner !== shape.site &&
      owner.accessor !== undefined &&
      owner.accessor.node === callee &&
      owner.accessor.returnsSlot &&
      !owner.accessor.async &&
      slug !== 'async-init-race' &&
      shape.prelude === undefined &&
      (init.type === 'MemberExpression' || (init.type === 'CallExpression' && init.arguments.every(isPlainArgument)));
    if (delegates) {
      delegated.add(shape);
      continue;
    }
    if (initializerRegions(shape).some((region) => reachesAny(region, targets, manager))) {
      const fn = [...targets].find((target) => initializerRegions(shape).some((region) => reachesAny(region, new Set([target]), manager)));
      const name = fn === undefined ? undefined : functionName(fn);
      throw new SkipSite('reentrant-initializer', name === undefined ? undefined : `its initializer runs \`${name}\`, which fills the same slot`);
    }
  }
  if (delegated.size === shapes.length) throw new SkipSite('reentrant-initializer', 'every site takes its value from another');
  return delegated;
};

const functionName = (fn: Node): string | undefined => {
  if (fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') {
    if (fn.id) return fn.id.name;
  }
  const parent = parentOf(fn);
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition' || parent?.type === 'Property') && !parent.computed) {
    if (parent.key.type === 'Identifier') return parent.key.name;
    if (parent.key.type === 'PrivateIdentifier') return `#${parent.key.name}`;
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// Exported slots
// ---------------------------------------------------------------------------------------------------------------

/**
 * An object literal that other modules can reach: `export const o = {...}`, `export default {...}`, `module.exports =
 * {...}`, or bound to a variable that is exported by name. A literal returned by a factory is a fresh object per call.
 */
const objectIsExported = (owner: Node | undefined, ctx: PlanContext): boolean => {
  let current = owner;
  let parent = current === undefined ? undefined : parentOf(current);
  while (parent !== undefined && (parent.type === 'TSAsExpression' || parent.type === 'TSSatisfiesExpression')) {
    current = parent;
    parent = parentOf(current);
  }
  if (parent?.type === 'ExportDefaultDeclaration') return true;
  if (parent?.type === 'AssignmentExpression' && /^(module\.)?exports\b/.test(nodeText(parent.left, ctx.text))) return true;
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return false;
  if (parentOf(parentOf(parent) ?? parent)?.type === 'ExportNamedDeclaration') return true;
  const variable = ctx.parsed.scopeManager.getDeclaredVariables(parent).find((each) => each.name === (parent.id as TSESTree.Identifier).name);
  return (
    variable?.references.some((reference) => {
      const user = parentOf(reference.identifier);
      return (
        user?.type === 'ExportSpecifier' ||
        user?.type === 'ExportDefaultDeclaration' ||
        (user?.type === 'AssignmentExpression' && /^(module\.)?exports\b/.test(nodeText(user.left, ctx.text))) ||
        (user?.type === 'Property' && parentOf(parentOf(user) ?? user)?.type === 'AssignmentExpression' && /^module\.exports\b/.test(nodeText((parentOf(parentOf(user)!) as TSESTree.AssignmentExpression).left, ctx.text)))
      );
    }) ?? false
  );
};

const checkExported = (site: LazySite, ctx: PlanContext): void => {
  const { slot } = site;
  if (!slot.exported && !(slot.kind === 'object' && objectIsExported(slot.owner, ctx))) return;
  if ((slot.kind === 'instance' || slot.kind === 'static') && isPrivateMember(slot.declaration, slot.private)) return;
  const project = ctx.parsed.typeInfo?.project;
  const declaration = slot.declaration;
  let name: Node | undefined;
  if (declaration?.type === 'VariableDeclarator' && declaration.id.type === 'Identifier') name = declaration.id;
  if ((declaration?.type === 'PropertyDefinition' || declaration?.type === 'Property') && !declaration.computed) name = declaration.key;
  const tsName = name === undefined ? undefined : tsNodeOf(name, ctx);
  if (project === undefined || tsName === undefined) {
    throw new SkipSite('exported-live-binding', 'without type information the codemod cannot see who else uses it');
  }
  if (!project.solitary) {
    throw new SkipSite('exported-live-binding', 'its TypeScript project is part of a graph of project references, whose uses of it the codemod cannot follow');
  }
  const uses = project.externalUses(tsName as ts.Identifier);
  if (uses.length > 0) {
    const use = uses[0]!;
    // Relative to the working directory, like every path of the report.
    const where = path.relative(process.cwd(), use.fileName).replace(/\\/g, '/');
    throw new SkipSite('exported-live-binding', `${use.write ? 'written' : 'used'} in \`${where}\``);
  }
};

const isPrivateMember = (declaration: Node | undefined, privateName: boolean): boolean =>
  privateName || (declaration?.type === 'PropertyDefinition' && declaration.accessibility === 'private');

// ---------------------------------------------------------------------------------------------------------------
// Writers and reads
// ---------------------------------------------------------------------------------------------------------------

const takeEdit = (writer: Writer, emptyValues: ReadonlySet<string>, sites: readonly LazySite[], ctx: PlanContext): TextEdit => {
  const node = writer.node;
  const asStatement = parentOf(node)?.type === 'ExpressionStatement';
  const code = nodeText(node, ctx.text);
  if (writer.kind === 'assign' && node.type === 'AssignmentExpression' && node.operator === '=' && asStatement && isPreSeed(node, sites, ctx)) {
    return { start: node.range[0], end: node.range[1], text: `${nodeText(node.left, ctx.text)}.set(${nodeText(node.right, ctx.text)})` };
  }
  if (writer.kind === 'reset' && node.type === 'AssignmentExpression' && node.operator === '=' && asStatement) {
    const value = writer.value ?? 'undefined';
    if (!emptyValues.has(value)) {
      throw new SkipSite('other-writer', `\`${code}\` stores \`${value}\`, which its guard does not treat as empty`);
    }
    // `this.x = null` first thing in the constructor only declared the slot empty; the new cell starts empty.
    if (constructorPrologue(node, sites[0]!) === null) return removeStatement(parentOf(node)!, ctx);
    return { start: node.range[0], end: node.range[1], text: `${nodeText(node.left, ctx.text)}.take()` };
  }
  if (writer.kind === 'delete' && node.type === 'UnaryExpression' && asStatement) {
    return { start: node.range[0], end: node.range[1], text: `${nodeText(node.argument, ctx.text)}.take()` };
  }
  throw new SkipSite('other-writer', `\`${code.length > 60 ? `${code.slice(0, 57)}...` : code}\``);
};

/**
 * `this.x = value` in the class's own constructor, before anything could have filled the cell, with a value its
 * guards do not treat as empty: `cell.set(value)` then does exactly what the assignment did. Only parameter
 * defaults may run before it: `super(...)` and plain `this.y = param` / `this.y = literal` stores, or other such
 * pre-seeds.
 */
const isPreSeed = (node: TSESTree.AssignmentExpression, sites: readonly LazySite[], ctx: PlanContext): boolean => {
  const guardedBy = constructorPrologue(node, sites[0]!);
  if (guardedBy === undefined) return false;
  const value = unwrapTs(node.right);
  const empty = new Set(sites.map((each) => each.guard.empty));
  const info = ctx.parsed.typeInfo;
  const tsValue = tsNodeOf(value, ctx);
  if (info !== undefined && tsValue !== undefined) {
    const type = info.checker.getTypeAtLocation(tsValue);
    return empty.has('falsy') ? !info.project.mayBeFalsy(type) : !info.project.mayBeNullish(type);
  }
  if (expressionIsTruthy(value, ctx.parsed.ast)) return true;
  // `if (client) this._client = client;`: the test rules out every empty value.
  return value.type === 'Identifier' && guardedBy !== null && guardedBy.type === 'Identifier' && guardedBy.name === value.name;
};

/** Removes a statement, with its line when it has one to itself. */
const removeStatement = (statement: Node, ctx: PlanContext): TextEdit => {
  const { text } = ctx;
  const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
  const newline = text.indexOf('\n', statement.range[1]);
  if (startsLine(text, statement.range[0]) && newline !== -1 && text.slice(statement.range[1], newline).trim() === '') {
    return { start: lineStart, end: newline + 1, text: '' };
  }
  return { start: statement.range[0], end: statement.range[1], text: '' };
};

/**
 * `this.x = value` as a statement of the class's own constructor (possibly under `if (name)`), before anything
 * could have filled the cell: only parameter defaults run before it. Gives the `if`'s test (`null` without one), or
 * `undefined` when the store is anywhere else.
 */
const constructorPrologue = (node: TSESTree.AssignmentExpression, site: LazySite): Node | null | undefined => {
  if (site.slot.kind !== 'instance' || node.left.type !== 'MemberExpression' || node.left.object.type !== 'ThisExpression') return undefined;
  const statement = parentOf(node)!;
  if (statement.type !== 'ExpressionStatement') return undefined;
  let holder: Node = statement;
  let guardedBy: Node | undefined;
  const ifStatement = parentOf(statement);
  if (ifStatement?.type === 'IfStatement' && ifStatement.consequent === statement && !ifStatement.alternate) {
    holder = ifStatement;
    guardedBy = ifStatement.test;
  }
  const body = parentOf(holder);
  const constructor = body === undefined ? undefined : parentOf(body);
  const method = constructor === undefined ? undefined : parentOf(constructor);
  if (body?.type !== 'BlockStatement' || method?.type !== 'MethodDefinition' || method.kind !== 'constructor' || parentOf(parentOf(method)!) !== site.slot.owner) {
    return undefined;
  }
  for (const before of body.body) {
    if (before === holder) break;
    if (!isHarmlessConstructorStatement(before)) return undefined;
  }
  return guardedBy ?? null;
};

const isHarmlessConstructorStatement = (statement: Node): boolean => {
  if (statement.type === 'IfStatement') {
    return !statement.alternate && statement.test.type === 'Identifier' && isHarmlessConstructorStatement(statement.consequent);
  }
  if (statement.type !== 'ExpressionStatement') return false;
  const expression = statement.expression;
  if (expression.type === 'CallExpression' && expression.callee.type === 'Super') {
    return expression.arguments.every((argument) => argument.type === 'Identifier' || argument.type === 'Literal');
  }
  return (
    expression.type === 'AssignmentExpression' &&
    expression.left.type === 'MemberExpression' &&
    expression.left.object.type === 'ThisExpression' &&
    (unwrapTs(expression.right).type === 'Identifier' || unwrapTs(expression.right).type === 'Literal')
  );
};

/** Test positions where the read only decides truthiness or nullishness. */
const isConditionRead = (node: Node): boolean => {
  const parent = parentOf(node);
  if (parent === undefined) return false;
  if (parent.type === 'UnaryExpression' && parent.operator === '!') return true;
  if ((parent.type === 'IfStatement' || parent.type === 'WhileStatement' || parent.type === 'ConditionalExpression') && parent.test === node) return true;
  if (parent.type === 'LogicalExpression' && parent.left === node) return true;
  return false;
};

/**
 * The read's value is known not to be empty there: type information says so, or (without it) the read is
 * dereferenced (`x.foo`, `x()`), which in TypeScript only compiles once `x` has been narrowed, or it sits after an
 * ensure-guard of the same slot in the same function.
 */
const isNarrowed = (node: Node, shapes: readonly Shape[], ctx: PlanContext): boolean => {
  const info = ctx.parsed.typeInfo;
  const tsNode = tsNodeOf(node, ctx);
  if (info !== undefined && tsNode !== undefined) {
    const type = info.checker.getTypeAtLocation(tsNode);
    // `any` (an import that does not resolve among others) tells nothing: the syntax decides, as without types.
    if (!(type.flags & 1 /* Any */)) return !info.project.mayBeNullish(type);
  }
  if (declaredPresent(shapes[0]!.site)) return true;
  const parent = parentOf(node);
  if (parent?.type === 'MemberExpression' && parent.object === node && !parent.optional) return true;
  if (parent?.type === 'CallExpression' && parent.callee === node && !parent.optional) return true;
  const container = enclosingFunction(node);
  if (shapes.some((shape) => shape.form === 'statement' && shape.end <= node.range[0] && enclosingFunction(shape.site.guard.node) === container)) {
    return true;
  }
  return narrowedBySyntax(node, ctx.text);
};

/**
 * The author typed the slot present (`let x: T`, `let x!: T`, `x!: T` on a class): every read of it had type `T`, so
 * its reads keep that type through `!` wherever they stand, narrowed or not.
 */
const declaredPresent = (site: LazySite): boolean => {
  const annotation = site.slot.typeAnnotation;
  if (annotation === undefined) return false;
  const declaration = site.slot.declaration;
  if (declaration?.type === 'PropertyDefinition' && declaration.optional) return false;
  return stripNullishType(annotation, '')?.node === annotation;
};

/** `test` holds only when the slot written `ref` is present: `ref`, `ref !== undefined`, `ref != null`, `a && ref`. */
const testsPresent = (test: Node, ref: string, text: string): boolean => {
  const value = unwrapTs(test);
  if (nodeText(value, text) === ref) return true;
  if (value.type === 'LogicalExpression' && value.operator === '&&') return testsPresent(value.left, ref, text) || testsPresent(value.right, ref, text);
  if (value.type === 'BinaryExpression' && (value.operator === '!==' || value.operator === '!=')) {
    const [slot, other] = nodeText(value.left, text) === ref ? [value.left, value.right] : [value.right, value.left];
    return nodeText(slot, text) === ref && ['undefined', 'null', 'void 0'].includes(nodeText(other, text));
  }
  return false;
};

/** `test` holds when the slot is absent: `!ref`, `ref === undefined`, `ref == null`, `a || !ref`. */
const testsAbsent = (test: Node, ref: string, text: string): boolean => {
  const value = unwrapTs(test);
  if (value.type === 'UnaryExpression' && value.operator === '!') return testsPresent(value.argument, ref, text);
  if (value.type === 'LogicalExpression' && value.operator === '||') return testsAbsent(value.left, ref, text) || testsAbsent(value.right, ref, text);
  if (value.type === 'BinaryExpression' && (value.operator === '===' || value.operator === '==')) {
    const [slot, other] = nodeText(value.left, text) === ref ? [value.left, value.right] : [value.right, value.left];
    return nodeText(slot, text) === ref && ['undefined', 'null', 'void 0'].includes(nodeText(other, text));
  }
  return false;
};

const exits = (statement: Node): boolean => {
  const only = statement.type === 'BlockStatement' && statement.body.length === 1 ? statement.body[0]! : statement;
  return only.type === 'ReturnStatement' || only.type === 'ThrowStatement' || only.type === 'ContinueStatement' || only.type === 'BreakStatement';
};

/**
 * Without types, the narrowings TypeScript makes from syntax: inside `if (ref)`, after `ref &&`, in the consequent of
 * `ref ? ... : ...`, and after an early exit `if (!ref) return;` in an enclosing block of the same function.
 */
const narrowedBySyntax = (node: Node, text: string): boolean => {
  const ref = nodeText(node, text);
  let child: Node = node;
  for (let parent = parentOf(child); parent !== undefined; child = parent, parent = parentOf(child)) {
    if (isFunctionNode(parent)) return false;
    if (parent.type === 'IfStatement' && parent.consequent === child && testsPresent(parent.test, ref, text)) return true;
    if (parent.type === 'IfStatement' && parent.alternate === child && testsAbsent(parent.test, ref, text)) return true;
    if (parent.type === 'ConditionalExpression' && parent.consequent === child && testsPresent(parent.test, ref, text)) return true;
    if (parent.type === 'LogicalExpression' && parent.operator === '&&' && parent.right === child && testsPresent(parent.left, ref, text)) return true;
    if (parent.type === 'BlockStatement' || parent.type === 'Program') {
      const index = (parent.body as readonly Node[]).indexOf(child);
      const before = (parent.body as readonly Node[]).slice(0, index);
      if (before.some((statement) => statement.type === 'IfStatement' && !statement.alternate && exits(statement.consequent) && testsAbsent(statement.test, ref, text))) {
        return true;
      }
    }
  }
  return false;
};

/** The read runs after an ensure-guard of the same slot in the same function, so the cell is full there. */
const afterEnsure = (node: Node, shapes: readonly Shape[]): boolean => {
  const container = enclosingFunction(node);
  return shapes.some((shape) => shape.form === 'statement' && shape.end <= node.range[0] && enclosingFunction(shape.site.guard.node) === container);
};

const isCallee = (node: Node): boolean => {
  const parent = parentOf(node);
  return (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.callee === node;
};

const readEdit = (node: Node, shapes: readonly Shape[], cell: Cell, ctx: PlanContext): TextEdit => {
  const { text } = ctx;
  const ref = nodeText(node, text);
  const parent = parentOf(node);
  const site = shapes[0]!.site;
  // `export { db }` exports the binding, which now holds the cell; whether anything imports it was checked already.
  if (parent?.type === 'ExportSpecifier') return { start: node.range[0], end: node.range[1], text: ref };
  if (cell === 'LazyCell' && !isCallee(node) && !isConditionRead(node) && afterEnsure(node, shapes)) {
    return { start: node.range[0], end: node.range[1], text: `${ref}.value` };
  }
  // The old slot held the pending promise from the first call on; a lock's `get()` is empty until it settles, so a
  // read elsewhere (`await this.#connection` in `close()`) would no longer see an initialization under way.
  if (cell === 'OnceLock') throw new SkipSite('unsupported-read', `\`${ref}\` reads the pending promise, which a lock's \`get()\` does not give`);
  let value = `${ref}.get()`;
  if (parent?.type === 'UnaryExpression' && parent.operator === 'typeof') {
    throw new SkipSite('unsupported-read', `\`typeof ${ref}\``);
  }
  // `'key' in ref` and `ref instanceof C` narrow the variable itself; the same test on `ref.get()` narrows nothing, so
  // the reads it guarded would no longer type-check.
  if (parent?.type === 'BinaryExpression' && ((parent.operator === 'in' && parent.right === node) || (parent.operator === 'instanceof' && parent.left === node))) {
    throw new SkipSite('unsupported-read', `\`${nodeText(parent, text)}\` narrows the slot`);
  }
  for (let current: Node | undefined = parent; current !== undefined; current = parentOf(current)) {
    // `typeof db` in a type would name the cell's type from now on.
    if (current.type === 'TSTypeQuery') throw new SkipSite('unsupported-read', `\`typeof ${ref}\` in a type`);
    if (isFunctionNode(current) || current.type === 'Program') break;
  }
  if (parent?.type === 'UnaryExpression' && parent.operator === 'delete') {
    throw new SkipSite('other-writer', `\`delete ${ref}\``);
  }
  // `cell.get()?.x` needs no `!`: the optional chain already handles an empty cell, as it did the empty slot.
  const chained = (parent?.type === 'MemberExpression' && parent.object === node && parent.optional) || (parent?.type === 'CallExpression' && parent.callee === node && parent.optional);
  if (ctx.parsed.typescript && !chained && !isConditionRead(node) && isNarrowed(node, shapes, ctx) && parent?.type !== 'TSNonNullExpression') {
    value = `${value}!`;
  } else if (site.flags.emptyIsNull && !isConditionRead(node)) {
    // The old slot read `null` when empty; `get()` gives `undefined`.
    value = `(${value} ?? null)`;
  }
  if (parent?.type === 'Property' && parent.shorthand && parent.value === node) {
    return { start: parent.range[0], end: parent.range[1], text: `${ref}: ${value}` };
  }
  // `new x.get()(...)` would construct `get`.
  if (parent?.type === 'NewExpression' && parent.callee === node) value = `(${value})`;
  return { start: node.range[0], end: node.range[1], text: value };
};

// ---------------------------------------------------------------------------------------------------------------
// The initializer function
// ---------------------------------------------------------------------------------------------------------------

/**
 * The initializer can live where the slot is declared (a `LazyCell` built there): it uses nothing of the function
 * that holds the guard (parameters, locals, `this`, `arguments`), and every name it uses is visible at the slot.
 */
const canMoveInitializer = (shape: Shape, ctx: PlanContext): boolean => {
  const site = shape.site;
  if (site.initializer.usesContainerScope || shape.prelude !== undefined) return false;
  if (containsOwn(shape.init, new Set(['this-like']))) return false;
  const slotScope = slotScopeOf(site, ctx);
  if (slotScope === undefined) return false;
  const visible = new Set<Scope>();
  for (let scope: Scope | null = slotScope; scope !== null; scope = scope.upper) visible.add(scope);
  let ok = true;
  walk(shape.init, (node) => {
    if (!ok) return false;
    if (node.type !== 'Identifier') return undefined;
    const reference = findReference(node, ctx);
    const variable = reference?.resolved;
    if (variable && !visible.has(variable.scope)) ok = false;
    return undefined;
  });
  return ok;
};

const slotScopeOf = (site: LazySite, ctx: PlanContext): Scope | undefined => {
  const { slot } = site;
  if (slot.variable) return slot.variable.scope;
  if ((slot.kind === 'static' || slot.kind === 'instance') && slot.owner) {
    // Field initializers see the class scope and what encloses it.
    return ctx.parsed.scopeManager.acquire(slot.owner, true) ?? undefined;
  }
  return undefined;
};

const referenceIndex = new WeakMap<ScopeManager, Map<Node, Reference>>();

const findReference = (identifier: TSESTree.Identifier, ctx: PlanContext): Reference | undefined => {
  const manager = ctx.parsed.scopeManager;
  let index = referenceIndex.get(manager);
  if (index === undefined) {
    index = new Map();
    for (const scope of manager.scopes) for (const reference of scope.references) index.set(reference.identifier, reference);
    referenceIndex.set(manager, index);
  }
  return index.get(identifier);
};

const needsParens = (node: Node): boolean => {
  const value = unwrapTs(node);
  return value.type === 'ObjectExpression' || node.type === 'SequenceExpression' || value.type === 'SequenceExpression';
};

/**
 * `() => init`, `async () => init`, or a block body holding the statements that computed the value, written to
 * start on a line indented with `indent`.
 */
const initializerFunction = (shape: Shape, indent: string, copy: (start: number, end: number) => string, ctx: PlanContext, valueAnnotation = ''): string => {
  const { text, style } = ctx;
  const head = shape.asyncInit ? 'async () => ' : '() => ';
  const semicolon = style.semicolons ? ';' : '';
  if (shape.prelude?.kind === 'region') {
    const { local, facts, start, end } = shape.prelude;
    const inner = indent + style.indentUnit;
    const declare = facts.leadingStore === undefined ? `let ${local}${valueAnnotation}${semicolon}${style.eol}${inner}` : '';
    const body = reindent(copy(start, end), lineIndentAt(text, start), inner);
    return `${head}{${style.eol}${inner}${declare}${body}${style.eol}${inner}return ${local}${semicolon}${style.eol}${indent}}`;
  }
  const initText = (targetIndent: string): string => {
    const raw = copy(shape.init.range[0], shape.init.range[1]);
    const moved = reindent(raw, lineIndentAt(text, shape.init.range[0]), targetIndent);
    return needsParens(shape.init) ? `(${moved})` : moved;
  };
  const prelude = shape.prelude;
  if (prelude === undefined) return head + initText(indent);
  if (prelude.kind === 'block') {
    const { block, store } = prelude;
    const blockIndent = lineIndentAt(text, block.range[0]);
    const body =
      copy(block.range[0], store.range[0]) +
      `return ${initText(lineIndentAt(text, store.range[0]))}${endsWithSemicolon(store, text) ? ';' : semicolon}` +
      copy(store.range[1], block.range[1]);
    return head + reindent(body, blockIndent, indent);
  }
  const inner = indent + style.indentUnit;
  const from = lineIndentAt(text, prelude.start);
  const statements = reindent(copy(prelude.start, prelude.end), from, inner);
  return (
    `${head}{${style.eol}${inner}${statements}${style.eol}` +
    `${inner}return ${initText(inner)}${semicolon}${style.eol}${indent}}`
  );
};

/**
 * The comments inside a site that its rewrite does not carry over already (those inside the stored expression and the
 * statements moved into the initializer are copied with them): they are written again before the access.
 */
const siteComments = (shape: Shape, ctx: PlanContext): TSESTree.Comment[] => {
  const copied: (readonly [number, number])[] = [[shape.init.range[0], shape.init.range[1]]];
  const prelude = shape.prelude;
  if (prelude?.kind === 'block') copied.push([prelude.block.range[0], prelude.block.range[1]]);
  if (prelude?.kind === 'statements' || prelude?.kind === 'region') copied.push([prelude.start, prelude.end]);
  return (ctx.parsed.ast.comments ?? []).filter(
    (comment) =>
      comment.range[0] >= shape.start &&
      comment.range[1] <= shape.end &&
      !copied.some(([start, end]) => comment.range[0] >= start && comment.range[1] <= end),
  );
};

const commentText = (comment: TSESTree.Comment, ctx: PlanContext): string => nodeText(comment, ctx.text);

/** Comments written on lines of their own, each followed by a line break and `indent`. */
const commentLines = (comments: readonly TSESTree.Comment[], indent: string, ctx: PlanContext): string =>
  comments.map((comment) => `${reindent(commentText(comment, ctx), lineIndentAt(ctx.text, comment.range[0]), indent)}${ctx.style.eol}${indent}`).join('');

/** Comments inside an expression, where a line break may not be: each as a block comment. */
const commentsInline = (comments: readonly TSESTree.Comment[], ctx: PlanContext): string =>
  comments.map((comment) => (comment.type === 'Block' ? `${commentText(comment, ctx)} ` : `/*${comment.value.replace(/\*\//g, '* /')} */ `)).join('');

const siteEdits = (shape: Shape, access: string, ctx: PlanContext): TextEdit[] => {
  const read = shape.inlineRead;
  const comments = siteComments(shape, ctx);
  if (read === undefined) {
    const edit = siteEdit(shape, access, ctx);
    if (comments.length === 0) return [edit];
    const prefix = shape.form === 'expression' ? commentsInline(comments, ctx) : commentLines(comments, lineIndentAt(ctx.text, shape.start), ctx);
    return [{ ...edit, text: prefix + edit.text }];
  }
  const parent = parentOf(read);
  const bare =
    !access.startsWith('await ') ||
    parent?.type === 'ReturnStatement' ||
    parent?.type === 'ExpressionStatement' ||
    parent?.type === 'VariableDeclarator' ||
    parent?.type === 'AwaitExpression' ||
    parent?.type === 'AssignmentExpression';
  // Without semicolons, a statement that now starts with `(` would continue the one before it.
  const statement = enclosingStatement(read);
  const guardAsi = !bare && !ctx.style.semicolons && statement !== undefined && statement.range[0] === read.range[0];
  // The guard goes; its comments stay where it was, on their own lines.
  const indent = lineIndentAt(ctx.text, shape.start);
  const ownLine = startsLine(ctx.text, shape.start) && ctx.text[shape.end - 1] === '\n';
  const kept = comments.length === 0 ? '' : ownLine ? indent + commentLines(comments, indent, ctx).slice(0, -indent.length) : commentLines(comments, indent, ctx);
  return [
    { start: shape.start, end: shape.end, text: kept },
    { start: read.range[0], end: read.range[1], text: bare ? access : `${guardAsi ? ';' : ''}(${access})` },
  ];
};

const enclosingStatement = (node: Node): Node | undefined => {
  for (let current: Node | undefined = node; current !== undefined; current = parentOf(current)) {
    if (/Statement$|Declaration$/.test(current.type)) return current;
  }
  return undefined;
};

const siteEdit = (shape: Shape, access: string, ctx: PlanContext): TextEdit => {
  const semicolon = shape.semicolon ? ';' : '';
  switch (shape.form) {
    case 'return':
      return { start: shape.start, end: shape.end, text: `return ${access}${semicolon}` };
    case 'statement':
      return { start: shape.start, end: shape.end, text: `${access}${semicolon}` };
    default:
      void ctx;
      return { start: shape.start, end: shape.end, text: access };
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------------------------------------------

/**
 * Some statement before `statement` in `holder`'s body may run code of this file (a call, a `new`, a class with
 * static initializers): everything before it is imports, directives, function and type declarations, and variable
 * declarations initialized with literals, functions or `require(...)`.
 */
const runsCodeBefore = (holder: Node, statement: Node): boolean => {
  const body = holder.type === 'Program' || holder.type === 'BlockStatement' ? holder.body : [];
  for (const before of body) {
    if (before === statement) return false;
    const declaration = before.type === 'ExportNamedDeclaration' && before.declaration ? before.declaration : before;
    switch (declaration.type) {
      case 'ImportDeclaration':
      case 'FunctionDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSDeclareFunction':
      case 'EmptyStatement':
        continue;
      case 'ExpressionStatement':
        if (declaration.directive !== undefined) continue;
        return true;
      case 'VariableDeclaration':
        if (declaration.declarations.every((each) => each.init === null || isInert(each.init))) continue;
        return true;
      default:
        return true;
    }
  }
  return false;
};

const isInert = (node: Node): boolean => {
  const value = unwrapTs(node);
  if (value.type === 'Literal' || value.type === 'Identifier' || isFunctionNode(value)) return true;
  if (value.type === 'TemplateLiteral') return value.expressions.length === 0;
  if (value.type === 'MemberExpression') return isInert(value.object);
  return (
    value.type === 'CallExpression' &&
    value.callee.type === 'Identifier' &&
    value.callee.name === 'require' &&
    value.arguments.length === 1 &&
    value.arguments[0]?.type === 'Literal'
  );
};

interface DeclarationPlan {
  /** Where `T` is named (its scope decides which names are visible). */
  readonly typeLocation: Node | undefined;
  /** The node a JSDoc comment would document to type the slot (the statement, field or property), if it has one. */
  readonly documented?: { readonly node: Node; readonly sharedWith: number };
  /** The offset whose line indentation a moved initializer takes. */
  readonly anchor: number;
  readonly edits: (construction: string) => TextEdit[];
}

const declarationSite = (site: LazySite, ctx: PlanContext): DeclarationPlan => {
  const { slot } = site;
  const { text, style } = ctx;
  const semicolon = style.semicolons ? ';' : '';
  const declaration = slot.declaration;
  if (slot.kind === 'module' || slot.kind === 'closure') {
    if (declaration?.type !== 'VariableDeclarator' || declaration.id.type !== 'Identifier') {
      throw new SkipSite('unsupported-shape', 'the slot is not declared as a plain variable');
    }
    const statement = parentOf(declaration);
    if (statement?.type !== 'VariableDeclaration' || statement.declare || (statement.kind !== 'let' && statement.kind !== 'var')) {
      throw new SkipSite('unsupported-shape', 'the slot is not declared with `let` or `var`');
    }
    if (!EMPTY_LITERALS(declaration.init)) throw new SkipSite('other-writer', 'the declaration stores a value');
    const holder = parentOf(statement);
    if (statement.kind === 'var' && holder?.type !== 'Program' && !(holder?.type === 'BlockStatement' && isFunctionNode(parentOf(holder) ?? holder))) {
      throw new SkipSite('unsupported-shape', 'a `var` declared inside a block');
    }
    if (statement.kind === 'var' && holder !== undefined && runsCodeBefore(holder, statement)) {
      // A hoisted `var` can be read by code that runs before its declaration; a `const` cell would not exist yet.
      throw new SkipSite('unsupported-shape', 'a `var` that code running before its declaration may use');
    }
    if (holder?.type === 'ExportNamedDeclaration' && statement.declarations.length > 1) {
      throw new SkipSite('unsupported-shape', 'an exported declaration of several variables');
    }
    const name = declaration.id.name;
    const keywordEnd = statement.range[0] + statement.kind.length;
    return {
      typeLocation: declaration,
      documented: { node: holder?.type === 'ExportNamedDeclaration' ? holder : statement, sharedWith: statement.declarations.length - 1 },
      anchor: statement.range[0],
      edits: (construction) => {
        if (statement.declarations.length === 1) {
          return [
            { start: statement.range[0], end: keywordEnd, text: 'const' },
            { start: declaration.range[0], end: declaration.range[1], text: `${name} = ${construction}` },
          ];
        }
        // `let a, db;`: take `db` out of the list and declare it on its own line after it.
        const index = statement.declarations.indexOf(declaration);
        const removal =
          index === 0
            ? { start: declaration.range[0], end: statement.declarations[1]!.range[0], text: '' }
            : { start: statement.declarations[index - 1]!.range[1], end: declaration.range[1], text: '' };
        const indent = lineIndentAt(text, statement.range[0]);
        const at = statement.range[1];
        return [removal, { start: at, end: at, text: `${style.eol}${indent}const ${name} = ${construction}${semicolon}` }];
      },
    };
  }
  if (slot.kind === 'object') {
    if (declaration === undefined) throw new SkipSite('unsupported-slot', 'a property its object literal does not declare');
    if (declaration.type !== 'Property' || declaration.computed || declaration.kind !== 'init' || declaration.method || declaration.shorthand) {
      throw new SkipSite('unsupported-shape', 'the property is declared in a way the codemod does not rewrite');
    }
    if (!EMPTY_LITERALS(declaration.value)) throw new SkipSite('other-writer', 'the property starts with a value');
    const value = declaration.value;
    return {
      typeLocation: declaration,
      documented: { node: declaration, sharedWith: 0 },
      anchor: declaration.range[0],
      edits: (construction) => [{ start: value.range[0], end: value.range[1], text: construction }],
    };
  }
  // Class fields.
  const owner = slot.owner;
  if (owner?.type !== 'ClassDeclaration' && owner?.type !== 'ClassExpression') {
    throw new SkipSite('unsupported-slot', 'a member of something other than a class');
  }
  if (declaration !== undefined) {
    if (declaration.type !== 'PropertyDefinition' || declaration.computed || declaration.declare || declaration.decorators.length > 0) {
      throw new SkipSite('unsupported-shape', 'the field is declared in a way the codemod does not rewrite');
    }
    if (!EMPTY_LITERALS(declaration.value)) throw new SkipSite('other-writer', 'the field declaration stores a value');
    const keyEnd = declaration.key.range[1];
    const ending = endsWithSemicolon(declaration, text) ? ';' : '';
    return {
      typeLocation: declaration,
      documented: { node: declaration, sharedWith: 0 },
      anchor: declaration.range[0],
      edits: (construction) => [{ start: keyEnd, end: declaration.range[1], text: ` = ${construction}${ending}` }],
    };
  }
  if (slot.private) throw new SkipSite('unsupported-shape', 'a private field without a declaration');
  // No declaration (JavaScript classes that only assign the field): declare it first thing in the class body.
  const body = owner.body;
  const first = body.body[0];
  const indent = first !== undefined && startsLine(text, first.range[0]) ? lineIndentAt(text, first.range[0]) : lineIndentAt(text, owner.range[0]) + style.indentUnit;
  const open = body.range[0] + 1;
  const prefix = slot.kind === 'static' ? 'static ' : '';
  const key = /^[A-Za-z_$][\w$]*$/.test(slot.property) ? slot.property : JSON.stringify(slot.property);
  return {
    typeLocation: owner,
    anchor: first !== undefined ? first.range[0] : open,
    edits: (construction) => [{ start: open, end: open, text: `${style.eol}${indent}${prefix}${key} = ${construction}${semicolon}` }],
  };
};

/**
 * In JavaScript a JSDoc `@type {T}` on the slot's declaration types the variable, field or property, so it must type
 * the cell that takes the slot's place: it becomes `@type {Cell<V>}`, `V` being `T` less its empty values (`undefined`,
 * `null`, `void`, JSDoc's `?T`), and for a `OnceLock` the value `T`'s promise resolves to. A type the codemod cannot
 * read that way, or one documenting several variables at once, makes the slot skipped. TypeScript files type the cell
 * with a type argument instead (and TypeScript ignores JSDoc types in them).
 */
const docTypeEdit = (declaration: DeclarationPlan, cell: Cell, ctx: PlanContext): TextEdit | undefined => {
  const documented = declaration.documented;
  if (ctx.parsed.typescript || documented === undefined) return undefined;
  const comment = leadingDocComment(documented.node, ctx);
  if (comment === undefined) return undefined;
  const tag = /@type\s*\{/.exec(comment.value);
  if (tag === null) return undefined;
  if (documented.sharedWith > 0) throw new SkipSite('unsupported-shape', 'a JSDoc type that documents several variables');
  // `value` is the comment without `/*`: offsets in it are 2 less than in the text.
  const open = comment.range[0] + 2 + tag.index + tag[0].length;
  const close = matchingBrace(ctx.text, open);
  if (close === undefined) throw new SkipSite('unnameable-type', 'a JSDoc type the codemod cannot read');
  const value = docValueType(ctx.text.slice(open, close), cell);
  if (value === undefined) throw new SkipSite('unnameable-type', 'a JSDoc type the codemod cannot rewrite for the cell');
  return { start: open, end: close, text: `${cell}<${value}>` };
};

/**
 * The cell's value type from a JSDoc type, read as the TypeScript type it is written in (JSDoc's `?T` is `T | null`):
 * without its empty members, and for a `OnceLock` the value of its promise. `undefined` for anything else (JSDoc-only
 * syntax such as `*`, a union of promises).
 */
const docValueType = (typeText: string, cell: Cell): string | undefined => {
  const source = `type T = ${typeText.trim().replace(/^\?/, '')};`;
  let alias: TSESTree.ProgramStatement | undefined;
  try {
    alias = parse(source, { range: true }).body[0];
  } catch {
    return undefined;
  }
  if (alias?.type !== 'TSTypeAliasDeclaration') return undefined;
  let jsdocOnly = false;
  walk(alias.typeAnnotation, (node) => void (jsdocOnly ||= node.type.startsWith('TSJSDoc')));
  if (jsdocOnly) return undefined;
  const value = stripNullishType(alias.typeAnnotation, source);
  if (value === undefined) return undefined;
  return cell === 'OnceLock' ? unwrapPromiseType(value.node, source) : value.text;
};

/** The `/** ... *\/` comment right before `node`, with nothing but white space between them. */
const leadingDocComment = (node: Node, ctx: PlanContext): TSESTree.Comment | undefined => {
  const comments = ctx.parsed.ast.comments ?? [];
  let found: TSESTree.Comment | undefined;
  for (const comment of comments) {
    if (comment.range[1] > node.range[0]) break;
    found = comment;
  }
  if (found === undefined || found.type !== 'Block' || !found.value.startsWith('*')) return undefined;
  return /^\s*$/.test(ctx.text.slice(found.range[1], node.range[0])) ? found : undefined;
};

/** The offset of the `}` that closes the brace opened just before `start`, counting nested braces. */
const matchingBrace = (text: string, start: number): number | undefined => {
  let depth = 1;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return index;
    else if (char === '*' && text[index + 1] === '/') return undefined;
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------------------------

const rewrittenReport = (site: LazySite, slug: TransformSlug, cell: Cell, preserve: boolean): SiteReport => {
  const base = {
    line: site.guard.node.loc.start.line,
    column: site.guard.node.loc.start.column + 1,
    slot: site.slot.name,
    transform: slug,
    outcome: 'rewritten' as const,
  };
  const name = `\`${site.slot.name}\``;
  switch (slug) {
    case 'promise-cache':
      if (site.flags.clearedOnRejection) {
        return { ...base, message: `Rewrote the promise cache ${name} to a \`OnceLock\`; it already retried after a rejection and still does.` };
      }
      if (preserve) {
        return {
          ...base,
          change: 'failure-cached',
          message: `Rewrote the promise cache ${name} to a \`OnceLock\` with \`{ failure: 'cache' }\`: a rejection stays cached, as before.`,
        };
      }
      return {
        ...base,
        change: 'rejection-retried',
        message: `Rewrote the promise cache ${name} to a \`OnceLock\`: a rejection is no longer cached, the next call runs the initializer again.`,
      };
    case 'async-init-race':
      return {
        ...base,
        change: 'single-flight',
        message: `Rewrote ${name} to a \`OnceLock\`: the initializer now runs once however many callers race, where before every caller that arrived during the \`await\` ran it again.`,
      };
    case 'static-singleton':
      return { ...base, message: `Rewrote the singleton ${name} to a static \`${cell}\` field.` };
    case 'instance-memo':
      return { ...base, message: `Rewrote the memo ${name} to a \`${cell}\` ${site.slot.kind === 'object' ? 'property' : 'field'}.` };
    default:
      return { ...base, message: `Rewrote ${name} to a \`${cell}\`.` };
  }
};

/**
 * Which functions of the file a piece of code may run: its calls, followed through the file's own functions, methods
 * and getters. The planner uses it so that no rewrite makes an initializer reach its own cell: a store whose value
 * comes from the slot's own accessor would become `cell.getOrInit(() => accessor())` while the accessor itself runs
 * `cell.getOrInit(...)`, which throws `ReentrantInitError` on first use.
 *
 * The walk over-approximates on purpose: every function written inside the code is assumed to run (a callback handed
 * on is usually called), and `this.name` / `Class.name` reach every method or getter of that name in the enclosing
 * class. A false "reaches" only skips a site; a missed one would emit a rewrite that throws.
 */
import type { Scope, ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { isFunctionNode, parentOf, walk, type Node } from './ast.js';

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** How many calls deep the walk follows; deeper chains are rare and would only be found by running the code. */
const MAX_DEPTH = 12;

const enclosingClass = (node: Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined => {
  for (let current = parentOf(node); current !== undefined; current = parentOf(current)) {
    if (current.type === 'ClassDeclaration' || current.type === 'ClassExpression') return current;
  }
  return undefined;
};

const variableOf = (identifier: TSESTree.Identifier, manager: ScopeManager): Variable | undefined => {
  for (let scope: Scope | null = innermostScope(identifier, manager); scope !== null; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) return variable;
  }
  return undefined;
};

const innermostScope = (node: Node, manager: ScopeManager): Scope | null => {
  for (let current: Node | undefined = node; current !== undefined; current = parentOf(current)) {
    const scope = manager.acquire(current, true);
    if (scope !== null) return scope;
  }
  return manager.globalScope;
};

/** The functions a name may stand for: a function declaration, or a `const`/`let` bound to a function. */
const functionsNamed = (identifier: TSESTree.Identifier, manager: ScopeManager): FunctionNode[] => {
  const variable = variableOf(identifier, manager);
  const found: FunctionNode[] = [];
  for (const def of variable?.defs ?? []) {
    // A parameter's definition node is its function: only function names and variables count.
    const node = def.node as Node;
    if (def.type === 'FunctionName' && node.type === 'FunctionDeclaration') found.push(node);
    if (def.type === 'Variable' && node.type === 'VariableDeclarator' && node.init !== null && isFunctionNode(node.init)) found.push(node.init as FunctionNode);
  }
  return found;
};

/** Methods, getters and function-valued fields named `name` in `owner` (static or not: both are followed). */
const membersNamed = (owner: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): FunctionNode[] => {
  const found: FunctionNode[] = [];
  for (const member of owner.body.body) {
    if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') continue;
    if (member.computed) continue;
    const key = member.key.type === 'Identifier' ? member.key.name : member.key.type === 'PrivateIdentifier' ? `#${member.key.name}` : undefined;
    if (key !== name) continue;
    const value = member.value;
    if (value !== null && isFunctionNode(value)) found.push(value as FunctionNode);
  }
  return found;
};

const memberName = (member: TSESTree.MemberExpression): string | undefined => {
  if (member.computed) return undefined;
  if (member.property.type === 'Identifier') return member.property.name;
  if (member.property.type === 'PrivateIdentifier') return `#${member.property.name}`;
  return undefined;
};

/** The functions of the file that running `region` calls directly (not through other functions). */
const directCallees = (region: Node, manager: ScopeManager): FunctionNode[] => {
  const found: FunctionNode[] = [];
  walk(region, (node) => {
    if (node.type === 'Identifier') {
      const parent = parentOf(node);
      const called = (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.callee === node;
      // A function passed on (`items.map(build)`) is assumed to be called.
      const passed = (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.arguments.includes(node as never);
      if (called || passed) found.push(...functionsNamed(node, manager));
      return undefined;
    }
    if (node.type === 'MemberExpression') {
      const name = memberName(node);
      const object = node.object;
      const owner = enclosingClass(node);
      const onOwnClass =
        object.type === 'ThisExpression' ||
        (object.type === 'Identifier' && owner !== undefined && 'id' in owner && owner.id?.name === object.name);
      // `this.name(...)` calls a method; `this.name` alone may run a getter: both are followed.
      if (name !== undefined && onOwnClass && owner !== undefined) found.push(...membersNamed(owner, name));
    }
    return undefined;
  });
  return found;
};

/**
 * Whether running `region` may run one of `targets`, through calls within the file up to `MAX_DEPTH` deep.
 */
export const reachesAny = (region: Node, targets: ReadonlySet<Node>, manager: ScopeManager): boolean => {
  if (targets.size === 0) return false;
  const seen = new Set<Node>();
  let frontier: Node[] = [region];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const next: Node[] = [];
    for (const each of frontier) {
      for (const callee of directCallees(each, manager)) {
        if (targets.has(callee)) return true;
        if (seen.has(callee)) continue;
        seen.add(callee);
        next.push(callee);
      }
    }
    frontier = next;
  }
  return false;
};

/**
 * The function that `call` runs, when it is a plain call of one of the file's functions (`loadLib()`,
 * `this.load()`) or a read of a getter of the enclosing class (`this.db`).
 */
export const calledFunction = (call: Node, manager: ScopeManager): FunctionNode | undefined => {
  if (call.type === 'MemberExpression' && !call.optional) {
    const owner = enclosingClass(call);
    const name = memberName(call);
    if (owner === undefined || name === undefined || call.object.type !== 'ThisExpression') return undefined;
    const found = membersNamed(owner, name);
    const parent = found.length === 1 ? parentOf(found[0]!) : undefined;
    return parent?.type === 'MethodDefinition' && parent.kind === 'get' ? found[0] : undefined;
  }
  if (call.type !== 'CallExpression' || call.optional) return undefined;
  const callee = call.callee;
  if (callee.type === 'Identifier') {
    const found = functionsNamed(callee, manager);
    return found.length === 1 ? found[0] : undefined;
  }
  if (callee.type === 'MemberExpression' && !callee.optional) {
    const owner = enclosingClass(call);
    const name = memberName(callee);
    const object = callee.object;
    const onOwnClass = object.type === 'ThisExpression' || (object.type === 'Identifier' && owner !== undefined && owner.id?.name === object.name);
    if (owner === undefined || name === undefined || !onOwnClass) return undefined;
    const found = membersNamed(owner, name);
    return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
};

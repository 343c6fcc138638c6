import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { unwrapExpression } from './runtime-cells.js';

export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;
export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

type Scope = TSESLint.Scope.Scope;

export const isFunctionNode = (node: TSESTree.Node): node is FunctionNode =>
  node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
  node.type === AST_NODE_TYPES.FunctionExpression ||
  node.type === AST_NODE_TYPES.FunctionDeclaration;

/** `x`, `#x`, `'x'` keys as the member name they denote; `undefined` for computed keys that are not literals. */
export function memberName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  return undefined;
}

/** What `this` denotes at a node: an instance of a class, the class itself (static context), or nothing known. */
export interface ThisContext {
  readonly classNode: ClassNode;
  readonly isStatic: boolean;
}

/**
 * Walks out through arrow functions (which keep the outer `this`) to the method, field initializer or static block
 * that decides what `this` is. A plain function or an object-literal method has a `this` the rule cannot know.
 */
export function thisContext(node: TSESTree.Node): ThisContext | undefined {
  let child: TSESTree.Node = node;
  let current = node.parent;
  while (current) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionExpression: {
        const owner = current.parent;
        if (owner.type === AST_NODE_TYPES.MethodDefinition && owner.value === current) {
          return { classNode: owner.parent.parent, isStatic: owner.static };
        }
        return undefined;
      }
      case AST_NODE_TYPES.FunctionDeclaration:
        return undefined;
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
        if (current.value === child) return { classNode: current.parent.parent, isStatic: current.static };
        return undefined;
      case AST_NODE_TYPES.StaticBlock:
        return { classNode: current.parent.parent, isStatic: true };
      case AST_NODE_TYPES.Program:
        return undefined;
      default:
        break;
    }
    child = current;
    current = current.parent;
  }
  return undefined;
}

/** The class a name is bound to, when the binding is a class declaration or a `const` holding a class expression. */
export function classOfIdentifier(identifier: TSESTree.Identifier, scope: Scope): ClassNode | undefined {
  const def = ASTUtils.findVariable(scope, identifier)?.defs[0];
  if (!def) return undefined;
  if (def.type === 'ClassName') return def.node;
  if (def.type === 'Variable' && def.node.init) {
    const init = unwrapExpression(def.node.init);
    if (init.type === AST_NODE_TYPES.ClassExpression) return init;
  }
  return undefined;
}

export interface ClassMembers {
  readonly methods: ReadonlyMap<string, FunctionNode>;
  readonly getters: ReadonlyMap<string, TSESTree.FunctionExpression>;
}

const memberKey = (isStatic: boolean, name: string): string => `${isStatic ? 'static' : 'instance'} ${name}`;

const classMembersCache = new WeakMap<ClassNode, ClassMembers>();

/** The methods (including arrow-function fields) and getters a class body declares, keyed by static-ness and name. */
export function classMembers(classNode: ClassNode): ClassMembers {
  let members = classMembersCache.get(classNode);
  if (members) return members;
  const methods = new Map<string, FunctionNode>();
  const getters = new Map<string, TSESTree.FunctionExpression>();
  for (const element of classNode.body.body) {
    if (element.type === AST_NODE_TYPES.MethodDefinition && element.value.type === AST_NODE_TYPES.FunctionExpression) {
      const name = memberName(element.key, element.computed);
      if (name === undefined) continue;
      if (element.kind === 'method') methods.set(memberKey(element.static, name), element.value);
      else if (element.kind === 'get') getters.set(memberKey(element.static, name), element.value);
    } else if (element.type === AST_NODE_TYPES.PropertyDefinition && element.value) {
      const name = memberName(element.key, element.computed);
      const value = unwrapExpression(element.value);
      if (name !== undefined && isFunctionNode(value)) methods.set(memberKey(element.static, name), value);
    }
  }
  members = { methods, getters };
  classMembersCache.set(classNode, members);
  return members;
}

/** The class a class extends, when it is declared in this file (`extends Base`, `extends class {}`). */
export function superClassOf(classNode: ClassNode, scope: Scope): ClassNode | undefined {
  const superClass = classNode.superClass ? unwrapExpression(classNode.superClass) : undefined;
  if (superClass?.type === AST_NODE_TYPES.Identifier) return classOfIdentifier(superClass, scope);
  if (superClass?.type === AST_NODE_TYPES.ClassExpression) return superClass;
  return undefined;
}

/** `sub` is `base` or extends it, directly or through classes declared in this file. */
export function isSameOrSubclass(sub: ClassNode, base: ClassNode, scope: Scope): boolean {
  let current: ClassNode | undefined = sub;
  for (let depth = 0; current && depth <= MAX_INHERITANCE_DEPTH; depth++) {
    if (current === base) return true;
    current = superClassOf(current, scope);
  }
  return false;
}

/** Inheritance chains longer than this are not followed (and a cyclic one cannot loop). */
export const MAX_INHERITANCE_DEPTH = 8;

/** A member of the class or, when it does not declare one, of the nearest superclass declared in this file that does. */
export function inheritedMember<T>(classNode: ClassNode, scope: Scope, lookup: (members: ClassMembers) => T | undefined): T | undefined {
  let current: ClassNode | undefined = classNode;
  for (let depth = 0; current && depth < MAX_INHERITANCE_DEPTH; depth++) {
    const found = lookup(classMembers(current));
    if (found) return found;
    current = superClassOf(current, scope);
  }
  return undefined;
}

export const classMethod = (classNode: ClassNode, isStatic: boolean, name: string, scope: Scope): FunctionNode | undefined =>
  inheritedMember(classNode, scope, (members) => members.methods.get(memberKey(isStatic, name)));

export const classGetter = (
  classNode: ClassNode,
  isStatic: boolean,
  name: string,
  scope: Scope,
): TSESTree.FunctionExpression | undefined =>
  inheritedMember(classNode, scope, (members) => members.getters.get(memberKey(isStatic, name)));

/** The owner of a `this.x` / `super.x` / `Foo.x` member expression: which class, and whether the member is static. */
export function memberOwner(object: TSESTree.Node, scope: Scope): ThisContext | undefined {
  const target = unwrapExpression(object);
  if (target.type === AST_NODE_TYPES.ThisExpression) return thisContext(target);
  if (target.type === AST_NODE_TYPES.Super) {
    const context = thisContext(target);
    const superClass = context ? superClassOf(context.classNode, scope) : undefined;
    return context && superClass ? { classNode: superClass, isStatic: context.isStatic } : undefined;
  }
  if (target.type === AST_NODE_TYPES.Identifier) {
    const classNode = classOfIdentifier(target, scope);
    if (classNode) return { classNode, isStatic: true };
  }
  return undefined;
}

/**
 * The function a call's callee denotes, when the file says so unambiguously: a function declaration, a `const` (or
 * never reassigned binding) holding a function, or a method of the class that `this` / a class name denotes.
 */
export function resolveCallee(
  callee: TSESTree.Node,
  scope: Scope,
  ownerOf: (object: TSESTree.Node, scope: Scope) => ThisContext | undefined = memberOwner,
): FunctionNode | undefined {
  const target = unwrapExpression(callee);
  if (isFunctionNode(target)) return target;
  if (target.type === AST_NODE_TYPES.Identifier) return functionOfBinding(target, scope);
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(target.property, target.computed);
    if (name === undefined) return undefined;
    const owner = ownerOf(target.object, scope);
    if (owner) return classMethod(owner.classNode, owner.isStatic, name, scope);
    const literal = objectLiteralOf(target.object, scope);
    if (literal) return objectMember(literal, name, 'method');
  }
  return undefined;
}

export function functionOfBinding(identifier: TSESTree.Identifier, scope: Scope): FunctionNode | undefined {
  const variable = ASTUtils.findVariable(scope, identifier);
  const def = variable?.defs[0];
  if (!variable || !def || variable.defs.length !== 1) return undefined;
  if (def.type === 'FunctionName') {
    return def.node.type === AST_NODE_TYPES.FunctionDeclaration && def.node.body ? def.node : undefined;
  }
  if (def.type === 'Variable' && def.node.init) {
    const init = unwrapExpression(def.node.init);
    if (!isFunctionNode(init)) return undefined;
    // A binding reassigned later may hold another function by the time it is called.
    const writes = variable.references.filter((reference) => reference.isWrite() && reference.writeExpr !== def.node.init);
    return writes.length === 0 ? init : undefined;
  }
  return undefined;
}

/** How a function is written at its call sites, for messages: `load()`, `this.compute()`, `Config.create()`, `this.value`. */
export function functionLabel(fn: FunctionNode): string {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return `${fn.id.name}()`;
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return `${parent.id.name}()`;
  if (parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition) {
    const name = memberName(parent.key, parent.computed) ?? '[computed]';
    const classNode = parent.parent.parent;
    const owner = parent.static && classNode.id ? classNode.id.name : 'this';
    const access = `${owner}.${name}`;
    return parent.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'get' ? access : `${access}()`;
  }
  if (parent.type === AST_NODE_TYPES.Property) {
    const name = memberName(parent.key, parent.computed) ?? '[computed]';
    return parent.kind === 'get' ? name : `${name}()`;
  }
  if (fn.type === AST_NODE_TYPES.FunctionExpression && fn.id) return `${fn.id.name}()`;
  return 'an anonymous function';
}

/**
 * The object literal that `this` (in a method or getter of that literal) or a binding denotes: `this.load()` inside
 * `{ load() {}, ... }`, `registry.load()` for `const registry = { ... }` never reassigned.
 */
export function objectLiteralOf(object: TSESTree.Node, scope: Scope): TSESTree.ObjectExpression | undefined {
  const target = unwrapExpression(object);
  if (target.type === AST_NODE_TYPES.ThisExpression) {
    for (let current = target.parent; current; current = current.parent) {
      if (current.type === AST_NODE_TYPES.ArrowFunctionExpression) continue;
      if (current.type === AST_NODE_TYPES.FunctionExpression) {
        const property = current.parent;
        return property.type === AST_NODE_TYPES.Property && property.value === current && property.parent.type === AST_NODE_TYPES.ObjectExpression
          ? property.parent
          : undefined;
      }
      if (
        current.type === AST_NODE_TYPES.FunctionDeclaration ||
        current.type === AST_NODE_TYPES.PropertyDefinition ||
        current.type === AST_NODE_TYPES.StaticBlock ||
        current.type === AST_NODE_TYPES.Program
      ) {
        return undefined;
      }
    }
    return undefined;
  }
  if (target.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(scope, target);
    const def = variable?.defs[0];
    if (!variable || def?.type !== 'Variable' || !def.node.init || variable.defs.length !== 1) return undefined;
    const init = unwrapExpression(def.node.init);
    if (init.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    const writes = variable.references.filter((reference) => reference.isWrite() && reference.writeExpr !== def.node.init);
    return writes.length === 0 ? init : undefined;
  }
  return undefined;
}

/** A method (`m() {}`, `m: () => {}`) or getter (`get x() {}`) an object literal declares under `name`. */
export function objectMember(
  literal: TSESTree.ObjectExpression,
  name: string,
  kind: 'method' | 'getter',
): FunctionNode | undefined {
  for (const property of literal.properties) {
    if (property.type !== AST_NODE_TYPES.Property || memberName(property.key, property.computed) !== name) continue;
    const value = unwrapExpression(property.value);
    if (!isFunctionNode(value)) continue;
    if (kind === 'getter' ? property.kind === 'get' : property.kind === 'init') return value;
  }
  return undefined;
}

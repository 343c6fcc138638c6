/**
 * Type facts: what is known of the stored value's type. From the syntax, `promiseEvidence` (an async function or
 * method called, a `then` chain, a `Promise` static or constructor, a dynamic import, an async IIFE, a `Promise`
 * annotation on the slot, a promise-like name); from the checker, when the program comes with type information,
 * `typeFacts` (may the value be falsy, nullish, thenable) and `slotTypeText`.
 *
 * Invariants it keeps:
 * - type information is optional: without it every checker fact is `undefined`, and nothing else changes;
 * - the checker is read through the type's own API (intrinsic names, literal checks), never `ts.TypeFlags` numbers,
 *   and `typescript` is never loaded at run time (only its types are imported);
 * - `any`, `unknown` and type parameters leave falsiness and thenability unknown (`undefined`) and count as nullish.
 *
 * It uses slot resolution alone; it sits after the exclusion signals in the chain only because the site building,
 * its one user, comes last.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type * as ts from 'typescript';
import { isFunction, propertyName, unwrap, type Node } from './ast.js';
import type { PromiseEvidence } from './types.js';
import { ExclusionSignals } from './signals.js';
import type { SlotRef } from './slots.js';

const PROMISE_STATICS = new Set(['resolve', 'reject', 'all', 'allSettled', 'any', 'race', 'try', 'withResolvers']);
const PROMISE_NAME = /promise|^_?(loading|pending|inflight)$/i;

export abstract class TypeFacts extends ExclusionSignals {
  protected promiseEvidence(init: Node, slot: SlotRef): PromiseEvidence[] {
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

  protected typeFacts(init: Node): { mayBeFalsy: boolean | undefined; mayBeNullish: boolean | undefined; typeText: string | undefined; thenable: boolean | undefined } {
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

  protected slotTypeText(slot: SlotRef, init: Node): string | undefined {
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

/**
 * Slot resolution: which expression denotes a slot (storage that can outlive the call that reads it), under which
 * key, and every access of a slot in the file.
 *
 * `SlotResolver` is the first layer of the analysis. The candidate search (`candidates.ts`), the exclusion signals
 * (`signals.ts`), the type facts (`type-facts.ts`) and the site building (`site.ts`) extend it in the order the passes
 * run, and `Analyzer` (`analyze.ts`) ends the chain; a layer calls only the layers below it. This one holds what the
 * walk of the program collected (`ProgramIndex`) and the file's caches of slots and accesses.
 *
 * Invariants it keeps:
 * - a `SlotRef` names storage that can outlive a call: a `let`/`var` binding (of the module or of an enclosing
 *   function), a member of `this`, of a class, of an object literal bound to a name, of the global object (or of a
 *   `const` alias of it), a member one level inside such a member (`nested`), or a member of a parameter whose name
 *   marks it private (`parameter`); a computed member is a slot only when its key is a module-level constant.
 *   Whether a binding outlives the guard's own call is decided by `accept` (`signals.ts`);
 * - every expression that denotes one slot gets the same `key`; `slotOf` answers once per node and `accessesOf` once
 *   per key, so later layers may ask as often as they like;
 * - `accessesOf` lists the accesses in source order, each marked as a read, a write or both.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Reference, Variable } from '@typescript-eslint/scope-manager';
import { isFunction, outerParent, propertyName, unwrap, type Node, type ParentMap } from './ast.js';
import type { AnalysisContext, SlotKind, SlotPath, SlotScopeKind } from './types.js';

/** The global objects whose properties are process-wide slots. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

/** What the one walk of the program collects (`indexProgram` in `analyze.ts`). */
export interface ProgramIndex {
  readonly parents: ParentMap;
  /** Every identifier's reference, from the scopes. */
  readonly references: Map<Node, Reference>;
  /** The nodes the candidate search starts from. */
  readonly ifs: readonly TSESTree.IfStatement[];
  readonly assignments: readonly TSESTree.AssignmentExpression[];
  readonly logicals: readonly TSESTree.LogicalExpression[];
  readonly conditionals: readonly TSESTree.ConditionalExpression[];
  /** Every member expression: the candidates for the accesses of a member slot. */
  readonly members: readonly TSESTree.MemberExpression[];
}

export interface SlotRef {
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

export interface ThisOwner {
  readonly kind: 'instance' | 'static' | 'object';
  readonly owner: Node;
  readonly ownerName: string | undefined;
  readonly ownerKey: string;
}

export interface Access {
  readonly node: Node;
  readonly write: boolean;
  readonly read: boolean;
}

export abstract class SlotResolver {
  protected readonly parents: ParentMap;
  protected readonly references: Map<Node, Reference>;
  protected readonly ifs: readonly TSESTree.IfStatement[];
  protected readonly assignments: readonly TSESTree.AssignmentExpression[];
  protected readonly logicals: readonly TSESTree.LogicalExpression[];
  protected readonly conditionals: readonly TSESTree.ConditionalExpression[];
  protected readonly members: readonly TSESTree.MemberExpression[];
  private readonly slotCache = new Map<Node, SlotRef | null>();
  private readonly accessCache = new Map<string, Access[]>();

  constructor(
    protected readonly context: AnalysisContext,
    index: ProgramIndex,
  ) {
    this.parents = index.parents;
    this.references = index.references;
    this.ifs = index.ifs;
    this.assignments = index.assignments;
    this.logicals = index.logicals;
    this.conditionals = index.conditionals;
    this.members = index.members;
  }

  private text(node: Node): string {
    const source = this.context.sourceCode?.text;
    return source === undefined ? '' : source.slice(node.range[0], node.range[1]);
  }

  protected variableOf(identifier: Node): Variable | undefined {
    return this.references.get(identifier)?.resolved ?? undefined;
  }

  /** The identifier names a global of the platform (unresolved, or a lib global without a declaration). */
  protected isGlobal(identifier: Node): boolean {
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
  protected thisOwner(node: Node): ThisOwner | undefined {
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
  protected accessesOf(slot: SlotRef): Access[] {
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
}

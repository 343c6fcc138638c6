/**
 * A screen on the TypeScript AST that rules out files holding no lazy site, without converting them to ESTree or
 * building their scopes: the analysis of a file the screen passes is the analysis proper (`analyzeProgram`).
 *
 * Contract: when `analyzeProgram` finds a site in a file, `mayHoldSite` is `true` for that file's TypeScript AST.
 * The screen follows the candidate search (`findCandidates` in `candidates.ts`, then the first checks of `accept` in
 * `signals.ts`) shape by shape, with every check that needs scopes or types replaced by a weaker one on names:
 * - a slot is an identifier declared with `let`/`var` in another function than the guard (or at the top level), or a
 *   member of `this`, of a global object, or of a name the file gives a class or an object literal;
 * - "the same slot" is "the same last name" (`db`, `this.db`, `Config.db` all read `db`; an element access matches
 *   every name), and a local alias (`const s = this.db`) matches the name of what it was initialized with;
 * - every store in a guarded region counts, whatever the statement order, and every re-check is taken as one;
 * - a guard that runs once by construction (top level, constructor, static block, field initializer) is no site.
 * So it may pass a file without sites (the analysis then finds none), and never fails one that has a site. Whether a
 * file holds a site does not depend on types, so one screen serves typed and untyped analysis alike.
 *
 * The TypeScript module is a parameter: the plugin's rules do not load TypeScript, and a caller that has a
 * `SourceFile` has the module that made it.
 */
import type * as ts from 'typescript';

/** The compiler's module, loaded as an ES module (with `default`) or through `require` (without). */
type TypeScript = Omit<typeof ts, 'default'>;

/** A name that matches every name: an element access (`this[key]`), whose property the screen does not resolve. */
const ANY = '*';

/** The global objects whose properties are slots (as in `slots.ts`). */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

/**
 * Whether `sourceFile` may hold a lazy site. `false` means the analysis would find none in it; `true` means it has a
 * candidate shape (a guard with a store of the same name), which the analysis may still reject.
 */
export function mayHoldSite(sourceFile: ts.SourceFile, typescript: TypeScript): boolean {
  return new Screen(typescript).run(sourceFile);
}

/**
 * The function a node runs in (`containerOf` in `ast.ts`), or the file for the top level, with what `siteContext`
 * of `signals.ts` lets a guard there fill: `any` slot in a function that runs on demand; in a constructor, no member
 * of `this` (a slot outliving the instance is filled on first construction); at the top level, only a property of
 * the global object (a cross-bundle singleton).
 */
interface Container {
  readonly node: ts.Node;
  readonly fills: 'any' | 'outliving' | 'global';
}

/** A shape to check once the whole file is known: its checks need every declaration, which may come later. */
type Shape =
  | { readonly kind: 'guard'; readonly test: ts.Expression; readonly body: ts.Statement; readonly after: readonly ts.Statement[]; readonly container: Container }
  | { readonly kind: 'binary'; readonly node: ts.BinaryExpression; readonly container: Container }
  | { readonly kind: 'conditional'; readonly node: ts.ConditionalExpression; readonly container: Container };

class Screen {
  private readonly kind: TypeScript['SyntaxKind'];
  private readonly shapes: Shape[] = [];
  /** `let`/`var` bindings by name, with the functions (or the file) that declare them. */
  private readonly bindings = new Map<string, Set<ts.Node>>();
  /** Names a declaration gives a class or an object literal: their members can be slots. */
  private readonly owners = new Set<string>();
  /** Local names to what they were initialized with (`const s = this.db`): an alias stands for its slot. */
  private readonly aliases = new Map<string, ts.Expression[]>();
  /** The `if`s met in a statement list (seen before the walk reaches them), which carry their following statements. */
  private readonly listed = new Set<ts.Node>();

  constructor(private readonly ts: TypeScript) {
    this.kind = ts.SyntaxKind;
  }

  run(sourceFile: ts.SourceFile): boolean {
    this.visit(sourceFile, { node: sourceFile, fills: 'global' }, false);
    return this.shapes.some((shape) => this.holds(shape));
  }

  /**
   * Walks the tree, recording shapes that are not in an eager context (`isEagerContext` of `signals.ts`): a static
   * block or a field initializer runs once, so a guard there is never a site; the top level and a constructor are
   * kept with what they may fill (`Container`).
   */
  private visit(node: ts.Node, container: Container, eager: boolean): void {
    const { ts, kind } = this;
    switch (node.kind) {
      case kind.FunctionDeclaration:
      case kind.FunctionExpression:
      case kind.ArrowFunction:
      case kind.MethodDeclaration:
      case kind.GetAccessor:
      case kind.SetAccessor:
      case kind.Constructor:
        container = { node, fills: node.kind === kind.Constructor ? 'outliving' : 'any' };
        eager = false;
        break;
      case kind.ClassStaticBlockDeclaration:
        eager = true;
        break;
      case kind.PropertyDeclaration:
        // An `accessor` field is an `AccessorProperty` in ESTree, which the analysis does not count as eager.
        if (!(node as ts.PropertyDeclaration).modifiers?.some((modifier) => modifier.kind === kind.AccessorKeyword)) eager = true;
        break;
      case kind.SourceFile:
      case kind.Block:
        if (!eager) this.statementList((node as ts.SourceFile | ts.Block).statements, container);
        break;
      case kind.IfStatement: {
        // An `if` outside a block (a loop body, a `case`) has no following statements.
        const statement = node as ts.IfStatement;
        if (!eager && statement.elseStatement === undefined && !this.listed.has(statement)) {
          this.shapes.push({ kind: 'guard', test: statement.expression, body: statement.thenStatement, after: [], container });
        }
        break;
      }
      case kind.VariableDeclarationList:
        this.declarations(node as ts.VariableDeclarationList, container);
        break;
      case kind.ClassDeclaration:
      case kind.ClassExpression: {
        const name = (node as ts.ClassLikeDeclaration).name;
        if (name !== undefined) this.owners.add(name.text);
        break;
      }
      case kind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        const operator = binary.operatorToken.kind;
        const right = binary.right;
        const shaped =
          operator === kind.QuestionQuestionEqualsToken ||
          operator === kind.BarBarEqualsToken ||
          this.isLogical(binary) ||
          (operator === kind.EqualsToken && this.isLogical(this.unwrap(right)));
        if (!eager && shaped) this.shapes.push({ kind: 'binary', node: binary, container });
        break;
      }
      case kind.ConditionalExpression:
        if (!eager) this.shapes.push({ kind: 'conditional', node: node as ts.ConditionalExpression, container });
        break;
      default:
        break;
    }
    ts.forEachChild(node, (child) => this.visit(child, container, eager));
  }

  /** An `if` without `else` in a statement list: a guard whose store is inside it or after it (early return). */
  private statementList(statements: ts.NodeArray<ts.Statement>, container: Container): void {
    statements.forEach((statement, index) => {
      if (this.ts.isIfStatement(statement) && statement.elseStatement === undefined) {
        this.listed.add(statement);
        this.shapes.push({ kind: 'guard', test: statement.expression, body: statement.thenStatement, after: statements.slice(index + 1), container });
      }
    });
  }

  private declarations(list: ts.VariableDeclarationList, container: Container): void {
    const { ts } = this;
    // `const`, `using` and `await using` bindings are never slots; `let` and `var` are.
    const letOrVar = (list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0;
    for (const declaration of list.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      const name = declaration.name.text;
      if (letOrVar) {
        const containers = this.bindings.get(name);
        if (containers) containers.add(container.node);
        else this.bindings.set(name, new Set([container.node]));
      }
      if (declaration.initializer === undefined) continue;
      const init = this.unwrap(declaration.initializer);
      if (ts.isClassExpression(init) || ts.isObjectLiteralExpression(init)) this.owners.add(name);
      const inits = this.aliases.get(name);
      if (inits) inits.push(init);
      else this.aliases.set(name, [init]);
    }
  }

  private holds(shape: Shape): boolean {
    switch (shape.kind) {
      case 'guard':
        return this.guardHolds(shape.test, shape.body, shape.after, shape.container);
      case 'binary':
        return this.binaryHolds(shape.node, shape.container);
      case 'conditional':
        return this.conditionalHolds(shape.node, shape.container);
    }
  }

  /**
   * `findCandidates` on an `if`: a test of emptiness on a subject, then a store into the same slot in the guarded
   * statement, or, when the guarded statement returns a slot (`if (x) return x;`), in the statements that follow,
   * up to the first `return` or `throw`.
   */
  private guardHolds(test: ts.Expression, body: ts.Statement, after: readonly ts.Statement[], container: Container): boolean {
    const subjects = this.emptyTestSubjects(test);
    if (subjects.length === 0) return false;
    const names = new Set<string>();
    this.storesInStatement(body, names, container);
    const single = this.ts.isBlock(body) && body.statements.length === 1 ? body.statements[0]! : body;
    // An early return (`if (x) return x;`, or `if (done) return;` before a once-flag's store) stores after itself.
    if (this.ts.isReturnStatement(single)) {
      for (const next of after) {
        this.storesInStatement(next, names, container);
        if (this.ts.isReturnStatement(next) || this.ts.isThrowStatement(next)) break;
      }
    }
    return names.size > 0 && subjects.some((subject) => this.matches(this.subjectNames(subject, container), names));
  }

  /** `??=`/`||=` into a slot; `x = x ?? init`; `x ?? (x = init)`. */
  private binaryHolds(node: ts.BinaryExpression, container: Container): boolean {
    const { kind } = this;
    const operator = node.operatorToken.kind;
    if (operator === kind.QuestionQuestionEqualsToken || operator === kind.BarBarEqualsToken) {
      return this.slotName(node.left, container) !== undefined;
    }
    if (operator === kind.EqualsToken) {
      const right = this.unwrap(node.right);
      return this.isLogical(right) && this.sameName(this.slotName(node.left, container), this.slotName(right.left, container));
    }
    if (this.isLogical(node)) {
      const store = this.unwrap(node.right);
      return (
        this.ts.isBinaryExpression(store) &&
        store.operatorToken.kind === kind.EqualsToken &&
        this.sameName(this.slotName(node.left, container), this.slotName(store.left, container))
      );
    }
    return false;
  }

  /** `x ? x : (x = init)`, `!x ? (x = init) : x` and the like: a test of emptiness with a store on one side. */
  private conditionalHolds(node: ts.ConditionalExpression, container: Container): boolean {
    const subjects = this.emptyTestSubjects(node.condition);
    if (subjects.length === 0) return false;
    const names = new Set<string>();
    for (const side of [node.whenTrue, node.whenFalse]) {
      const store = this.unwrap(side);
      if (this.ts.isBinaryExpression(store) && this.isStoreOperator(store.operatorToken.kind)) {
        const name = this.slotName(store.left, container);
        if (name !== undefined) names.add(name);
      }
    }
    return names.size > 0 && subjects.some((subject) => this.matches(this.subjectNames(subject, container), names));
  }

  /**
   * The subjects a test compares with emptiness, as `emptyTest` of `candidates.ts` reads them: `!x`, `!!x`, `x`,
   * `x === undefined`/`null`/`void 0` (either side, any equality operator) and `typeof x === 'undefined'`.
   */
  private emptyTestSubjects(test: ts.Expression): ts.Expression[] {
    const { ts, kind } = this;
    const node = this.unwrap(test);
    if (ts.isPrefixUnaryExpression(node) && node.operator === kind.ExclamationToken) {
      const inner = this.unwrap(node.operand);
      const subjects = [inner];
      if (ts.isPrefixUnaryExpression(inner) && inner.operator === kind.ExclamationToken) subjects.push(this.unwrap(inner.operand));
      return subjects;
    }
    if (ts.isBinaryExpression(node) && this.isEquality(node.operatorToken.kind)) {
      const left = this.unwrap(node.left);
      const right = this.unwrap(node.right);
      const subjects: ts.Expression[] = [];
      if (ts.isTypeOfExpression(left) && ts.isStringLiteralLike(right)) subjects.push(this.unwrap(left.expression));
      if (ts.isTypeOfExpression(right) && ts.isStringLiteralLike(left)) subjects.push(this.unwrap(right.expression));
      if (this.isEmptyValue(right)) subjects.push(left);
      if (this.isEmptyValue(left)) subjects.push(right);
      // A sentinel (`x === UNSET`): which side is the module constant is left to the analysis.
      if (subjects.length === 0) subjects.push(left, right);
      return subjects;
    }
    return [node];
  }

  /** `storeInStatement` of `candidates.ts`: the slots a statement of a guarded region stores into, by name. */
  private storesInStatement(statement: ts.Statement, names: Set<string>, container: Container): void {
    const { ts } = this;
    if (ts.isExpressionStatement(statement)) this.storesInChain(statement.expression, names, container);
    else if (ts.isReturnStatement(statement)) {
      if (statement.expression !== undefined) this.storesInChain(statement.expression, names, container);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer !== undefined) this.storesInChain(declaration.initializer, names, container);
      }
    } else if (ts.isBlock(statement)) {
      for (const inner of statement.statements) this.storesInStatement(inner, names, container);
    } else if (ts.isTryStatement(statement)) {
      for (const inner of statement.tryBlock.statements) this.storesInStatement(inner, names, container);
    } else if (ts.isIfStatement(statement)) {
      // A re-check of the slot (`if (!x) x = v` after an await), stores in branches, or a store under an unrelated
      // condition: which it is is left to the analysis.
      this.storesInStatement(statement.thenStatement, names, container);
      if (statement.elseStatement !== undefined) this.storesInStatement(statement.elseStatement, names, container);
    } else if (ts.isSwitchStatement(statement)) {
      for (const clause of statement.caseBlock.clauses) for (const inner of clause.statements) this.storesInStatement(inner, names, container);
    }
  }

  /** `storeIn` of `candidates.ts`: the slots an assignment chain `a = b = init` (or `a ??= init`) stores into. */
  private storesInChain(expression: ts.Expression, names: Set<string>, container: Container): void {
    let node = this.unwrap(expression);
    let first = true;
    while (this.ts.isBinaryExpression(node) && this.isAssignment(node.operatorToken.kind)) {
      const operator = node.operatorToken.kind;
      if (!first && operator !== this.kind.EqualsToken) return;
      if (this.isStoreOperator(operator)) {
        const name = this.slotName(node.left, container);
        if (name !== undefined) names.add(name);
      }
      if (operator !== this.kind.EqualsToken) return;
      first = false;
      node = this.unwrap(node.right);
    }
  }

  /**
   * The last name of an expression that may denote a slot seen from `container` (`slotOf` of `slots.ts`), else
   * `undefined`: a `let`/`var` binding some other function (or the top level) declares; a member of `this`, of a
   * global object or a local name for it, of a name the file gives a class or an object literal, or of such a
   * member (one level deeper); a private-looking member (`_x`, `x_`) of any name (a parameter's). Only what the
   * container may fill counts (`Container`).
   */
  private slotName(expression: ts.Expression, container: Container, depth = 0): string | undefined {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      if (container.fills === 'global' || depth > 0) return undefined;
      const declaredIn = this.bindings.get(node.text);
      if (declaredIn === undefined) return undefined;
      for (const declaring of declaredIn) if (declaring !== container.node) return node.text;
      return undefined;
    }
    if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return undefined;
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ANY;
    const object = this.unwrap(node.expression);
    const isGlobal = ts.isIdentifier(object) && (GLOBAL_OBJECTS.has(object.text) || this.namesGlobal(object.text));
    if (container.fills === 'global') return isGlobal && depth === 0 ? name : undefined;
    if (isGlobal) return name;
    if (object.kind === this.kind.ThisKeyword) return container.fills === 'any' || depth > 0 ? name : undefined;
    if (ts.isIdentifier(object)) {
      if (this.owners.has(object.text)) return name;
      return depth === 0 && /^_|_$/.test(name) ? name : undefined;
    }
    if (depth === 0 && (ts.isPropertyAccessExpression(object) || ts.isElementAccessExpression(object))) {
      return this.slotName(object, { node: container.node, fills: container.fills === 'outliving' ? 'any' : container.fills }, 1) === undefined ? undefined : name;
    }
    return undefined;
  }

  /** A `const` the file initializes with a global object (`const g = globalThis as any`). */
  private namesGlobal(name: string): boolean {
    return (this.aliases.get(name) ?? []).some((init) => this.ts.isIdentifier(init) && GLOBAL_OBJECTS.has(init.text));
  }

  /** The names a subject may stand for: its own when it is a slot, and those of the slots an alias of it was given. */
  private subjectNames(subject: ts.Expression, container: Container): Set<string> {
    const names = new Set<string>();
    const own = this.slotName(subject, container);
    if (own !== undefined) names.add(own);
    if (this.ts.isIdentifier(subject)) {
      for (const init of this.aliases.get(subject.text) ?? []) {
        const name = this.slotName(init, container);
        if (name !== undefined) names.add(name);
      }
    }
    return names;
  }

  private matches(subjectNames: ReadonlySet<string>, stored: ReadonlySet<string>): boolean {
    if (subjectNames.size === 0) return false;
    if (subjectNames.has(ANY) || stored.has(ANY)) return true;
    for (const name of subjectNames) if (stored.has(name)) return true;
    return false;
  }

  private sameName(a: string | undefined, b: string | undefined): boolean {
    return a !== undefined && b !== undefined && (a === b || a === ANY || b === ANY);
  }

  /** Removes what ESTree does not show (parentheses) and what `unwrap` of `ast.ts` removes (`as`, `!`, `satisfies`). */
  private unwrap(expression: ts.Expression): ts.Expression {
    const { ts } = this;
    let node = expression;
    for (;;) {
      if (
        ts.isParenthesizedExpression(node) ||
        ts.isAsExpression(node) ||
        ts.isSatisfiesExpression(node) ||
        ts.isNonNullExpression(node) ||
        ts.isTypeAssertionExpression(node)
      ) {
        node = node.expression;
      } else {
        return node;
      }
    }
  }

  private isLogical(node: ts.Node): node is ts.BinaryExpression {
    return (
      this.ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === this.kind.QuestionQuestionToken || node.operatorToken.kind === this.kind.BarBarToken)
    );
  }

  private isAssignment(operator: ts.SyntaxKind): boolean {
    return operator >= this.kind.FirstAssignment && operator <= this.kind.LastAssignment;
  }

  /** The operators a store may use: `=`, `??=`, `||=`. */
  private isStoreOperator(operator: ts.SyntaxKind): boolean {
    const { kind } = this;
    return operator === kind.EqualsToken || operator === kind.QuestionQuestionEqualsToken || operator === kind.BarBarEqualsToken;
  }

  private isEquality(operator: ts.SyntaxKind): boolean {
    const { kind } = this;
    return (
      operator === kind.EqualsEqualsEqualsToken ||
      operator === kind.EqualsEqualsToken ||
      operator === kind.ExclamationEqualsEqualsToken ||
      operator === kind.ExclamationEqualsToken
    );
  }

  /** `undefined`, `void <literal>` or `null` (loosely: `void` of anything). */
  private isEmptyValue(node: ts.Expression): boolean {
    const { ts } = this;
    return (ts.isIdentifier(node) && node.text === 'undefined') || ts.isVoidExpression(node) || node.kind === this.kind.NullKeyword;
  }
}

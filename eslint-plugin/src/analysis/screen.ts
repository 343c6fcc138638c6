/**
 * A screen on the TypeScript AST that rules out files holding no lazy site, without converting them to ESTree or
 * building their scopes: the analysis of a file the screen passes is the analysis proper (`analyzeProgram`).
 *
 * Contract: when `analyzeProgram` finds a site in a file, `mayHoldSite` is `true` for that file's TypeScript AST.
 * The screen follows the candidate search of `analyze.ts` (`findCandidates`) shape by shape, with every check that
 * needs scopes or types replaced by a weaker one on names:
 * - a slot is any identifier or member access (scopes decide which ones are slots);
 * - "the same slot" is "the same last name" (`db`, `this.db`, `Config.db` all read `db`; an element access matches
 *   every name), and a local alias (`const s = this.db`) matches the name of what it was initialized with;
 * - every store in a guarded region counts, whatever the statement order, and every re-check is taken as one.
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

/**
 * Whether `sourceFile` may hold a lazy site. `false` means the analysis would find none in it; `true` means it has a
 * candidate shape (a guard with a store of the same name), which the analysis may still reject.
 */
export function mayHoldSite(sourceFile: ts.SourceFile, typescript: TypeScript): boolean {
  return new Screen(typescript).run(sourceFile);
}

class Screen {
  /** Local names to the names of the slots they were initialized from (`const s = this.db` maps `s` to `db`). */
  private readonly aliases = new Map<string, Set<string>>();
  /** Guards whose check needs every alias of the file: a test, the statement it guards and what follows it. */
  private readonly guards: { readonly test: ts.Expression; readonly body: ts.Statement; readonly after: readonly ts.Statement[] }[] = [];
  /** The `if`s met in a statement list (seen before the walk reaches them), which carry their following statements. */
  private readonly listed = new Set<ts.Node>();
  private readonly kind: typeof ts.SyntaxKind;

  constructor(private readonly ts: TypeScript) {
    this.kind = ts.SyntaxKind;
  }

  run(sourceFile: ts.SourceFile): boolean {
    if (this.visit(sourceFile)) return true;
    return this.guards.some((guard) => this.guardHolds(guard.test, guard.body, guard.after));
  }

  /** Walks the tree; `true` stops the walk as soon as a shape that needs no alias is found. */
  private visit(node: ts.Node): boolean {
    const { ts, kind } = this;
    switch (node.kind) {
      case kind.SourceFile:
      case kind.Block:
        this.statementList((node as ts.SourceFile | ts.Block).statements);
        break;
      case kind.IfStatement: {
        // An `if` outside a block or the file's top level (a loop body, a `case`) has no following statements.
        const statement = node as ts.IfStatement;
        if (statement.elseStatement === undefined && !this.listed.has(statement)) {
          this.guards.push({ test: statement.expression, body: statement.thenStatement, after: [] });
        }
        break;
      }
      case kind.VariableDeclaration: {
        const declaration = node as ts.VariableDeclaration;
        if (ts.isIdentifier(declaration.name) && declaration.initializer !== undefined) {
          const name = this.nameOf(declaration.initializer);
          if (name !== undefined) {
            const names = this.aliases.get(declaration.name.text);
            if (names) names.add(name);
            else this.aliases.set(declaration.name.text, new Set([name]));
          }
        }
        break;
      }
      case kind.BinaryExpression:
        if (this.binaryHolds(node as ts.BinaryExpression)) return true;
        break;
      case kind.ConditionalExpression:
        if (this.conditionalHolds(node as ts.ConditionalExpression)) return true;
        break;
      default:
        break;
    }
    return ts.forEachChild(node, (child) => this.visit(child) || undefined) === true;
  }

  /** An `if` without `else` in a statement list: a guard whose store is inside it or after it (early return). */
  private statementList(statements: ts.NodeArray<ts.Statement>): void {
    statements.forEach((statement, index) => {
      if (this.ts.isIfStatement(statement) && statement.elseStatement === undefined) {
        this.listed.add(statement);
        this.guards.push({ test: statement.expression, body: statement.thenStatement, after: statements.slice(index + 1) });
      }
    });
  }

  /**
   * `findCandidates` on an `if`: a test of emptiness on a subject, then a store into the same slot in the guarded
   * statement, or, when the guarded statement returns a slot (`if (x) return x;`), in the statements that follow,
   * up to the first `return` or `throw`.
   */
  private guardHolds(test: ts.Expression, body: ts.Statement, after: readonly ts.Statement[]): boolean {
    const subjects = this.emptyTestSubjects(test);
    if (subjects.length === 0) return false;
    const names = new Set<string>();
    this.storesInStatement(body, names);
    const single = this.ts.isBlock(body) && body.statements.length === 1 ? body.statements[0]! : body;
    if (this.ts.isReturnStatement(single) && single.expression !== undefined && this.nameOf(single.expression) !== undefined) {
      for (const next of after) {
        this.storesInStatement(next, names);
        if (this.ts.isReturnStatement(next) || this.ts.isThrowStatement(next)) break;
      }
    }
    if (names.size === 0) return false;
    return subjects.some((subject) => this.sameSlot(this.withAliases(subject), names));
  }

  /** `??=`/`||=` into a slot; `x = x ?? init`; `x ?? (x = init)`. */
  private binaryHolds(node: ts.BinaryExpression): boolean {
    const { kind } = this;
    const operator = node.operatorToken.kind;
    if (operator === kind.QuestionQuestionEqualsToken || operator === kind.BarBarEqualsToken) {
      return this.nameOf(node.left) !== undefined;
    }
    if (operator === kind.EqualsToken) {
      const right = this.unwrap(node.right);
      if (!this.isLogical(right)) return false;
      return this.sameName(this.nameOf(node.left), this.nameOf(right.left));
    }
    if (this.isLogical(node)) {
      const store = this.unwrap(node.right);
      return (
        this.ts.isBinaryExpression(store) &&
        store.operatorToken.kind === kind.EqualsToken &&
        this.sameName(this.nameOf(node.left), this.nameOf(store.left))
      );
    }
    return false;
  }

  /** `x ? x : (x = init)`, `!x ? (x = init) : x` and the like: a test of emptiness with a store on one side. */
  private conditionalHolds(node: ts.ConditionalExpression): boolean {
    const subjects = this.emptyTestSubjects(node.condition);
    if (subjects.length === 0) return false;
    const names = new Set<string>();
    for (const side of [node.whenTrue, node.whenFalse]) {
      const store = this.unwrap(side);
      if (this.ts.isBinaryExpression(store) && this.isStoreOperator(store.operatorToken.kind)) {
        const name = this.nameOf(store.left);
        if (name !== undefined) names.add(name);
      }
    }
    return names.size > 0 && subjects.some((subject) => this.sameSlot(this.withAliases(subject), names));
  }

  /**
   * The subjects a test compares with emptiness, as `emptyTest` of `analyze.ts` reads them: `!x`, `!!x`, `x`,
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
      return subjects;
    }
    return this.nameOf(node) === undefined ? [] : [node];
  }

  /** `storeInStatement` of `analyze.ts`: the names stored into by a statement of a guarded region. */
  private storesInStatement(statement: ts.Statement, names: Set<string>): void {
    const { ts } = this;
    if (ts.isExpressionStatement(statement)) this.storesInChain(statement.expression, names);
    else if (ts.isReturnStatement(statement)) {
      if (statement.expression !== undefined) this.storesInChain(statement.expression, names);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer !== undefined) this.storesInChain(declaration.initializer, names);
      }
    } else if (ts.isBlock(statement)) {
      for (const inner of statement.statements) this.storesInStatement(inner, names);
    } else if (ts.isTryStatement(statement)) {
      for (const inner of statement.tryBlock.statements) this.storesInStatement(inner, names);
    } else if (ts.isIfStatement(statement) && statement.elseStatement === undefined) {
      // A re-check of the slot (`if (!x) x = v` after an await); which slot it tests is left to the analysis.
      this.storesInStatement(statement.thenStatement, names);
    }
  }

  /** `storeIn` of `analyze.ts`: the slots an assignment chain `a = b = init` (or `a ??= init`) stores into. */
  private storesInChain(expression: ts.Expression, names: Set<string>): void {
    let node = this.unwrap(expression);
    let first = true;
    while (this.ts.isBinaryExpression(node) && this.isAssignment(node.operatorToken.kind)) {
      const operator = node.operatorToken.kind;
      if (!first && operator !== this.kind.EqualsToken) return;
      if (this.isStoreOperator(operator)) {
        const name = this.nameOf(node.left);
        if (name !== undefined) names.add(name);
      }
      if (operator !== this.kind.EqualsToken) return;
      first = false;
      node = this.unwrap(node.right);
    }
  }

  /** The last name of an expression that may denote a slot: an identifier or a member access, else `undefined`. */
  private nameOf(expression: ts.Expression): string | undefined {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) return node.text;
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isElementAccessExpression(node)) return ANY;
    return undefined;
  }

  /** The names a subject may stand for: its own, and for a local, those of the slots it was initialized from. */
  private withAliases(subject: ts.Expression): Set<string> {
    const own = this.nameOf(subject);
    const names = new Set<string>(own === undefined ? [] : [own]);
    if (this.ts.isIdentifier(subject)) for (const name of this.aliases.get(subject.text) ?? []) names.add(name);
    return names;
  }

  private sameSlot(subjectNames: ReadonlySet<string>, stored: ReadonlySet<string>): boolean {
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
    return (
      (ts.isIdentifier(node) && node.text === 'undefined') ||
      ts.isVoidExpression(node) ||
      node.kind === this.kind.NullKeyword
    );
  }
}

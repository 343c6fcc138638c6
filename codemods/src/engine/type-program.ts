/**
 * The type-aware half of the engine: one TypeScript program per engine, built once from the `tsconfig.json` it was
 * pointed at, used to name `T`, to decide whether an initializer can produce a falsy or nullish value, and to see
 * whether an exported slot is used by other files of the project.
 */
import path from 'node:path';
// Loaded through `require`: importing the compiler as an ES module makes Node scan its 9 MB for named exports first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import ts = require('typescript');

export class TsconfigError extends Error {
  override readonly name = 'TsconfigError';
}

const normalize = (fileName: string): string => path.resolve(fileName).replace(/\\/g, '/');

export interface ExternalUse {
  /** The file that uses the exported binding. */
  readonly fileName: string;
  readonly write: boolean;
}

export class ProjectTypes {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /**
   * The program is the only one of its project graph: no project references in or out. Only then can uses of an
   * exported binding in other files be followed (across references, symbols meet only through declaration files).
   */
  readonly solitary: boolean;
  readonly #files = new Map<string, ts.SourceFile>();
  readonly #references: readonly string[];
  /** Every project of the graph by normalized tsconfig path, shared by the root and the projects it references. */
  readonly #graph: Map<string, ProjectTypes | TsconfigError>;

  constructor(tsconfigPath: string, graph?: Map<string, ProjectTypes | TsconfigError>) {
    this.#graph = graph ?? new Map();
    this.#graph.set(normalize(tsconfigPath), this);
    const configFile = ts.readConfigFile(tsconfigPath, (file) => ts.sys.readFile(file));
    if (configFile.error) {
      throw new TsconfigError(
        `Could not read \`${tsconfigPath}\`: ${ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n')}`,
      );
    }
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, path.dirname(path.resolve(tsconfigPath)));
    // The program only answers questions about types; nothing is emitted, and composite/incremental settings of the
    // project would only make the compiler look for build info.
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, composite: false, incremental: false };
    delete options.tsBuildInfoFile;
    delete options.declarationDir;
    const host = ts.createCompilerHost(options);
    // JSDoc gives types in JavaScript files only; TypeScript files' comments need not be parsed into nodes.
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeInfo;
    this.program = ts.createProgram({
      rootNames: parsed.fileNames,
      options,
      host,
      ...(parsed.projectReferences ? { projectReferences: parsed.projectReferences } : {}),
    });
    this.checker = this.program.getTypeChecker();
    for (const sourceFile of this.program.getSourceFiles()) {
      if (!sourceFile.isDeclarationFile) this.#files.set(normalize(sourceFile.fileName), sourceFile);
    }
    this.#references = (parsed.projectReferences ?? []).map((reference) => ts.resolveProjectReferencePath(reference));
    this.solitary = graph === undefined && this.#references.length === 0;
  }

  /** The program's source file for `filePath`, when the program holds it with exactly this text. */
  sourceFile(filePath: string, text: string): ts.SourceFile | undefined {
    const sourceFile = this.#files.get(normalize(filePath));
    return sourceFile !== undefined && sourceFile.text === text ? sourceFile : undefined;
  }

  /**
   * The project that holds `filePath` with exactly this text: this one, or one it references (a solution-style
   * `tsconfig.json` with `files: []` and references), built on first need. `undefined` when none holds it.
   */
  projectFor(filePath: string, text: string): { project: ProjectTypes; sourceFile: ts.SourceFile } | undefined {
    const own = this.sourceFile(filePath, text);
    if (own !== undefined) return { project: this, sourceFile: own };
    for (const reference of this.#references) {
      const key = normalize(reference);
      let project = this.#graph.get(key);
      if (project === undefined) {
        try {
          project = new ProjectTypes(reference, this.#graph);
        } catch (error) {
          if (!(error instanceof TsconfigError)) throw error;
          project = error;
          this.#graph.set(key, error);
        }
      }
      if (project instanceof TsconfigError) continue;
      const found = project === this ? undefined : project.sourceFile(filePath, text);
      if (found !== undefined) return { project, sourceFile: found };
    }
    for (const reference of this.#references) {
      const project = this.#graph.get(normalize(reference));
      if (project instanceof ProjectTypes && project !== this) {
        const found = project.projectFor(filePath, text);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /**
   * `type` written as source text that means the same type at `location`, or `undefined` when it cannot be written
   * there without new imports (types private to another module, anonymous classes, error types).
   */
  nameType(type: ts.Type, location: ts.Node): string | undefined {
    if (isErrorType(type)) return undefined;
    const flags =
      ts.NodeBuilderFlags.NoTruncation |
      ts.NodeBuilderFlags.UseAliasDefinedOutsideCurrentScope |
      ts.NodeBuilderFlags.IgnoreErrors;
    const node = this.checker.typeToTypeNode(type, location, flags);
    if (node === undefined || !this.#nameable(node, location)) return undefined;
    const text = this.checker.typeToString(
      type,
      location,
      ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope,
    );
    if (/\(Anonymous|__type|__object|\bimport\(/.test(text)) return undefined;
    return text;
  }

  #nameable(root: ts.Node, location: ts.Node): boolean {
    let ok = true;
    const visit = (node: ts.Node): void => {
      if (!ok) return;
      if (ts.isImportTypeNode(node)) {
        ok = false;
        return;
      }
      if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
        const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
        const leftmost = leftmostIdentifier(name);
        if (leftmost === undefined) {
          ok = false;
          return;
        }
        const meaning = name === leftmost ? ts.SymbolFlags.Type : ts.SymbolFlags.Namespace;
        if (this.checker.resolveName(leftmost.text, location, meaning | ts.SymbolFlags.Alias, false) === undefined) {
          ok = false;
          return;
        }
      }
      if (ts.isTypeQueryNode(node)) {
        const leftmost = leftmostIdentifier(node.exprName);
        if (leftmost === undefined || this.checker.resolveName(leftmost.text, location, ts.SymbolFlags.Value, false) === undefined) {
          ok = false;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
    return ok;
  }

  /** Some value of `type` is falsy (`0`, `''`, `false`, `null`, `undefined`, `0n`, `NaN`), or the type cannot tell. */
  mayBeFalsy(type: ts.Type): boolean {
    return someMember(type, (member) => {
      const flags = member.flags;
      if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) {
        return true;
      }
      if (flags & ts.TypeFlags.TypeParameter) {
        const constraint = this.checker.getBaseConstraintOfType(member);
        return constraint === undefined || constraint === member || this.mayBeFalsy(constraint);
      }
      if (flags & ts.TypeFlags.StringLiteral) return (member as ts.StringLiteralType).value === '';
      if (flags & ts.TypeFlags.NumberLiteral) return (member as ts.NumberLiteralType).value === 0;
      if (flags & ts.TypeFlags.BigIntLiteral) return (member as ts.BigIntLiteralType).value.base10Value === '0';
      if (flags & ts.TypeFlags.BooleanLiteral) return (member as { intrinsicName?: string }).intrinsicName === 'false';
      if (flags & (ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean | ts.TypeFlags.BigInt)) return true;
      if (flags & (ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping | ts.TypeFlags.Enum)) return true;
      if (flags & ts.TypeFlags.Intersection) {
        return (member as ts.IntersectionType).types.some((part) => this.mayBeFalsy(part));
      }
      return false;
    });
  }

  /** Some value of `type` is `null` or `undefined`, or the type cannot tell. */
  mayBeNullish(type: ts.Type): boolean {
    return this.mayBe(type, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void);
  }

  /** Some value of `type` is `undefined` (`void` included), or the type cannot tell. */
  mayBeUndefined(type: ts.Type): boolean {
    return this.mayBe(type, ts.TypeFlags.Undefined | ts.TypeFlags.Void);
  }

  /** Some value of `type` is `null`, or the type cannot tell. */
  mayBeNull(type: ts.Type): boolean {
    return this.mayBe(type, ts.TypeFlags.Null);
  }

  private mayBe(type: ts.Type, flags: ts.TypeFlags): boolean {
    return someMember(type, (member) => {
      if (member.flags & (flags | ts.TypeFlags.Unknown)) return true;
      if (member.flags & ts.TypeFlags.TypeParameter) {
        const constraint = this.checker.getBaseConstraintOfType(member);
        return constraint === undefined || constraint === member || this.mayBe(constraint, flags);
      }
      return false;
    });
  }

  /**
   * Uses, in other files of the program, of the binding `name` declares and its file exports: imports of it that
   * are referenced, namespace member reads, re-exports. Declaration files and `node_modules` are not looked at.
   */
  externalUses(name: ts.Identifier): ExternalUse[] {
    const local = this.checker.getSymbolAtLocation(name);
    if (local === undefined) return [];
    const target = resolveAlias(this.checker, this.checker.getExportSymbolOfSymbol(local));
    const ownFile = name.getSourceFile();
    const moduleSymbol = this.checker.getSymbolAtLocation(ownFile);
    const names = new Set([name.text]);
    if (moduleSymbol !== undefined) {
      for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
        if (resolveAlias(this.checker, exported) === target) names.add(exported.name);
      }
    }
    const uses: ExternalUse[] = [];
    for (const sourceFile of this.program.getSourceFiles()) {
      if (sourceFile === ownFile || sourceFile.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sourceFile.fileName)) continue;
      if (![...names].some((exportedName) => sourceFile.text.includes(exportedName))) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && names.has(node.text) || ts.isIdentifier(node) && isImportedBindingName(node)) {
          const symbol = this.checker.getSymbolAtLocation(node);
          if (symbol !== undefined && resolveAlias(this.checker, symbol) === target) {
            uses.push({ fileName: sourceFile.fileName, write: isWriteTarget(node) });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    return uses;
  }
}

const isErrorType = (type: ts.Type): boolean => (type as { intrinsicName?: string }).intrinsicName === 'error';

const someMember = (type: ts.Type, test: (member: ts.Type) => boolean): boolean =>
  type.isUnion() ? type.types.some(test) : test(type);

const leftmostIdentifier = (name: ts.EntityName | ts.Expression): ts.Identifier | undefined => {
  let current: ts.Node = name;
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isQualifiedName(current)) current = current.left;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return undefined;
  }
};

const resolveAlias = (checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

/** A local name bound by an import (`import { db as d }` binds `d`), whose uses carry another name. */
const isImportedBindingName = (node: ts.Identifier): boolean =>
  ts.isImportSpecifier(node.parent) || ts.isImportClause(node.parent) || ts.isNamespaceImport(node.parent);

const isWriteTarget = (node: ts.Node): boolean => {
  let current = node;
  while (ts.isPropertyAccessExpression(current.parent) && current.parent.name === current) current = current.parent;
  const parent = current.parent;
  if (ts.isBinaryExpression(parent) && parent.left === current) {
    return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }
  return (
    (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)
  );
};

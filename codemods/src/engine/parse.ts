/**
 * Parsing, in two steps. First the TypeScript AST: the program's own `SourceFile` when the engine is type-aware and the
 * program holds the file with this text, else a parse of its own. Then, for a file that may hold a lazy site, the
 * typescript-estree conversion of that same `SourceFile` (ranges, locations, tokens, comments; the program's node maps
 * when it has one) and the scope manager. Most files stop after the first step.
 */
import path from 'node:path';
import { analyze, type ScopeManager } from '@typescript-eslint/scope-manager';
import { parseAndGenerateServices, type TSESTree } from '@typescript-eslint/typescript-estree';
// Loaded through `require`, as in `type-program.ts`: typescript-estree has loaded the same module already.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import ts = require('typescript');
import type { ProjectTypes } from './type-program.js';

/** How the file loads its dependencies, which decides how the runtime import is written. */
export type ModuleKind = 'esm' | 'commonjs';

export interface ParsedFile {
  readonly ast: TSESTree.Program;
  readonly scopeManager: ScopeManager;
  readonly moduleKind: ModuleKind;
  /** A TypeScript file (type arguments are written), as opposed to JavaScript (none are). */
  readonly typescript: boolean;
  readonly typeInfo?: {
    readonly checker: ts.TypeChecker;
    readonly esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node | undefined };
    readonly project: ProjectTypes;
  };
}

const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts']);
const JSX_EXTENSIONS = new Set(['.tsx', '.jsx', '.js', '.mjs', '.cjs']);

export const isTypeScriptFile = (filePath: string): boolean =>
  TS_EXTENSIONS.has(path.extname(filePath).toLowerCase()) && !/\.d\.[cm]?ts$/i.test(filePath);

const parserOptions = (filePath: string) =>
  ({
    filePath,
    range: true,
    loc: true,
    tokens: true,
    comment: true,
    jsx: JSX_EXTENSIONS.has(path.extname(filePath).toLowerCase()),
    errorOnTypeScriptSyntacticAndSemanticIssues: false,
  }) as const;

/** The TypeScript AST of one file's text, with the project that built it when it comes from a program. */
export interface SourceTree {
  readonly sourceFile: ts.SourceFile;
  readonly project?: ProjectTypes;
}

/**
 * The TypeScript AST of `text` (without BOM): the program's own when `project` holds `filePath` with exactly this
 * text, else a parse made as typescript-estree makes one (parent pointers, no JSDoc, ES modules forced for `.mjs` and
 * `.mts`). Never throws: syntax errors are kept on the tree (see `hasSyntaxErrors`).
 */
export const readTree = (filePath: string, text: string, project: ProjectTypes | undefined): SourceTree => {
  const found = project?.projectFor(filePath, text);
  if (found !== undefined) return { sourceFile: found.sourceFile, project: found.project };
  const extension = path.extname(filePath).toLowerCase();
  const sourceFile = ts.createSourceFile(
    filePath,
    text,
    {
      languageVersion: ts.ScriptTarget.Latest,
      jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
      ...(extension === '.mjs' || extension === '.mts'
        ? { setExternalModuleIndicator: (file: ts.SourceFile) => void ((file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true) }
        : {}),
    },
    /* setParentNodes */ true,
    // No script kind: TypeScript derives it from the extension exactly as typescript-estree does for these files.
  );
  return { sourceFile };
};

/**
 * The parser found syntax errors in the tree (the errors typescript-estree reports first). The list is not part of
 * TypeScript's declared API; when it is missing, the tree is taken to have errors, so the conversion decides.
 */
export const hasSyntaxErrors = (tree: SourceTree): boolean => {
  const diagnostics = (tree.sourceFile as { readonly parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return diagnostics === undefined || diagnostics.length > 0;
};

/**
 * A file is CommonJS when its extension says so (`.cjs`), or when it is plain JavaScript that uses `require` or
 * `module.exports`/`exports.x` and has no `import`/`export` declaration.
 */
export const detectModuleKind = (filePath: string, ast: TSESTree.Program, text: string): ModuleKind => {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.cjs') return 'commonjs';
  if (extension !== '.js' && extension !== '.jsx') return 'esm';
  const hasModuleSyntax = ast.body.some(
    (statement) =>
      statement.type === 'ImportDeclaration' ||
      statement.type === 'ExportNamedDeclaration' ||
      statement.type === 'ExportDefaultDeclaration' ||
      statement.type === 'ExportAllDeclaration',
  );
  if (hasModuleSyntax) return 'esm';
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(text) ? 'commonjs' : 'esm';
};

export class UnparseableSourceError extends Error {
  override readonly name = 'UnparseableSourceError';
}

/**
 * Converts a tree to ESTree and builds its scopes; throws `UnparseableSourceError` when it is not valid for its file
 * type.
 */
export const parseFile = (filePath: string, tree: SourceTree): ParsedFile => {
  const typescript = isTypeScriptFile(filePath);
  const text = tree.sourceFile.text;
  let ast: TSESTree.Program;
  let typeInfo: ParsedFile['typeInfo'];
  try {
    if (tree.project !== undefined) {
      const result = parseAndGenerateServices(text, {
        ...parserOptions(tree.sourceFile.fileName),
        programs: [tree.project.program],
        preserveNodeMaps: true,
      });
      ast = result.ast;
      if (result.services.program !== null) {
        typeInfo = {
          checker: tree.project.checker,
          esTreeNodeToTSNodeMap: result.services.esTreeNodeToTSNodeMap,
          project: tree.project,
        };
      }
    } else {
      // Without programs, typescript-estree converts the given `SourceFile` as it is.
      ast = parseAndGenerateServices(tree.sourceFile, { ...parserOptions(filePath), preserveNodeMaps: false }).ast;
    }
  } catch (error) {
    throw new UnparseableSourceError(describeParseError(filePath, error), { cause: error });
  }
  const moduleKind = detectModuleKind(filePath, ast, text);
  const scopeManager = analyze(ast, {
    sourceType: moduleKind === 'commonjs' ? 'script' : 'module',
    globalReturn: moduleKind === 'commonjs',
    lib: ['esnext'],
    jsxPragma: null,
  });
  return { ast, scopeManager, moduleKind, typescript, ...(typeInfo ? { typeInfo } : {}) };
};

const describeParseError = (filePath: string, error: unknown): string => {
  const detail = error instanceof Error ? error.message : String(error);
  const position =
    typeof error === 'object' && error !== null && 'lineNumber' in error && 'column' in error
      ? `:${String(error.lineNumber)}:${String(Number(error.column) + 1)}`
      : '';
  return `\`${filePath}${position}\` does not parse: ${detail}`;
};

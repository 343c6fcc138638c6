/**
 * Parsing: typescript-estree (ranges, locations, tokens, comments) and the scope manager, with the TypeScript
 * program's node maps when the engine is type-aware and the program holds the file.
 */
import path from 'node:path';
import { analyze, type ScopeManager } from '@typescript-eslint/scope-manager';
import { parse, parseAndGenerateServices, type TSESTree } from '@typescript-eslint/typescript-estree';
import type ts from 'typescript';
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

const parserOptions = (filePath: string, detail: boolean) =>
  ({
    filePath,
    range: true,
    loc: true,
    tokens: detail,
    comment: detail,
    jsx: JSX_EXTENSIONS.has(path.extname(filePath).toLowerCase()),
    errorOnTypeScriptSyntacticAndSemanticIssues: false,
  }) as const;

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
 * Parses `text` (without BOM); throws `UnparseableSourceError` when it is not valid for its file type. Tokens and
 * comments, which only planning edits needs, are left out unless `detail` asks for them.
 */
export const parseFile = (filePath: string, text: string, project: ProjectTypes | undefined, detail = true): ParsedFile => {
  const typescript = isTypeScriptFile(filePath);
  let ast: TSESTree.Program;
  let typeInfo: ParsedFile['typeInfo'];
  try {
    const found = project?.projectFor(filePath, text);
    if (found !== undefined) {
      const result = parseAndGenerateServices(text, {
        ...parserOptions(found.sourceFile.fileName, detail),
        programs: [found.project.program],
        preserveNodeMaps: true,
      });
      ast = result.ast;
      if (result.services.program !== null) {
        typeInfo = {
          checker: found.project.checker,
          esTreeNodeToTSNodeMap: result.services.esTreeNodeToTSNodeMap,
          project: found.project,
        };
      }
    } else {
      ast = parse(text, parserOptions(filePath, detail));
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

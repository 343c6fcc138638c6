/**
 * Parse-and-analyse from source text, for tools that are not ESLint rules (the codemod).
 */
import { analyze } from '@typescript-eslint/scope-manager';
import type { ScopeManager } from '@typescript-eslint/scope-manager';
import { parse } from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/utils';
import { analyzeProgram } from './analyze.js';
import type { LazySite, TypeInfo } from './types.js';

export interface AnalyzeSourceOptions {
  /** Decides JSX (`.tsx`, `.jsx`) and CommonJS (`.cjs`, `.cts`) parsing. */
  readonly filePath?: string;
  /** Overrides the JSX decision made from `filePath`. */
  readonly jsx?: boolean;
  /** Overrides the module kind decided from `filePath` (`.cjs`/`.cts` are `script`, everything else `module`). */
  readonly sourceType?: 'module' | 'script';
  /** Type information for the same text; its nodes must come from the `ast` this call returns, so pass it only with a program built by the caller. */
  readonly typeInfo?: TypeInfo;
}

export interface AnalyzedSource {
  readonly ast: TSESTree.Program;
  readonly scopeManager: ScopeManager;
  readonly sites: readonly LazySite[];
}

/**
 * Parses `text` with `@typescript-eslint/typescript-estree` (ranges, locations, tokens and comments on), builds its
 * scopes with `@typescript-eslint/scope-manager` and finds the lazy sites. Throws the parser's error when the text does
 * not parse.
 */
export function analyzeSource(text: string, options: AnalyzeSourceOptions = {}): AnalyzedSource {
  const filePath = options.filePath ?? 'file.ts';
  const jsx = options.jsx ?? /\.[jt]sx$/i.test(filePath);
  const sourceType = options.sourceType ?? (/\.c[jt]s$/i.test(filePath) ? 'script' : 'module');
  const ast = parse(text, { range: true, loc: true, tokens: true, comment: true, jsx, filePath });
  const scopeManager = analyze(ast, { sourceType, globalReturn: sourceType === 'script' });
  const sites = analyzeProgram(ast, {
    scopeManager,
    sourceCode: { text },
    ...(options.typeInfo ? { typeInfo: options.typeInfo } : {}),
  });
  return { ast, scopeManager, sites };
}

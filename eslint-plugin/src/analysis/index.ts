/**
 * `@lazy-init/eslint-plugin/analysis`: the lazy-site analysis shared by the rules and the codemod.
 */
export type * from './types.js';
export { analyzeProgram } from './analyze.js';
export { mayHoldSite } from './screen.js';
export { analyzeSource, type AnalyzeSourceOptions, type AnalyzedSource } from './source.js';
export {
  fileStyle,
  isCommonJs,
  isNeverFalsy,
  planCellRewrite,
  runtimeImportEdit,
  RUNTIME_MODULE,
  type CellRewrite,
  type CellRewriteOptions,
  type ImportStyleOptions,
  type RuntimeName,
  type TextEdit,
} from './fix.js';

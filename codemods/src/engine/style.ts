/**
 * The file's own way of writing things, so that every inserted line matches its neighbours: quotes and semicolons
 * as the shared analysis reads them (the same reading the rules' fixes use), line endings and indentation from the text.
 */
import { fileStyle } from '@lazy-init/eslint-plugin/analysis';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { detectEol, detectIndentUnit, type SourceStyle } from './text.js';

export const detectStyle = (ast: TSESTree.Program, text: string): SourceStyle => {
  const { quote, semicolon } = fileStyle(ast, text);
  return { eol: detectEol(text), quote, semicolons: semicolon, indentUnit: detectIndentUnit(text) };
};

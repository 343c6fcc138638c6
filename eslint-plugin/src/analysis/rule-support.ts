/**
 * The bridge between ESLint rules and the analysis: sites of the linted file, slot-kind filtering and fixes.
 */
import type { JSONSchema, TSESLint, TSESTree } from '@typescript-eslint/utils';

type JSONSchema4 = JSONSchema.JSONSchema4;
import { analyzeProgram } from './analyze.js';
import { planCellRewrite, runtimeImportEdit, type CellRewrite, type RuntimeName, type TextEdit } from './fix.js';
import type { LazySite, SlotKind, TypeInfo } from './types.js';

export const SLOT_KINDS: readonly SlotKind[] = ['module', 'closure', 'instance', 'static', 'object', 'global'];

/** The JSON schema of the `slotKinds` option every rule of this family accepts. */
export const slotKindsSchema: JSONSchema4 = {
  type: 'array',
  items: { type: 'string', enum: [...SLOT_KINDS] },
  uniqueItems: true,
  description:
    'Which slots to check: `module` and `closure` bindings, `instance` and `static` class fields, `object` literal properties, `global` properties. All of them by default.',
};

/** The options object of the rules whose only option is `slotKinds`. */
export const slotKindsOptionSchema: JSONSchema4 = {
  type: 'object',
  additionalProperties: false,
  properties: { slotKinds: slotKindsSchema },
};

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** The lazy sites of the file being linted (analysed once per file for all rules). */
export function sitesOf(context: AnyContext, typeInfo?: TypeInfo): readonly LazySite[] {
  const sourceCode = context.sourceCode;
  return analyzeProgram(sourceCode.ast, {
    scopeManager: sourceCode.scopeManager!,
    sourceCode: { text: sourceCode.text },
    ...(typeInfo ? { typeInfo } : {}),
  });
}

export const isTypeScriptFile = (filename: string): boolean => /\.[cm]?tsx?$/i.test(filename);

/** Applies the edits of a cell rewrite plus the runtime import. */
export function cellFix(context: AnyContext, rewrite: CellRewrite): TSESLint.ReportFixFunction {
  const sourceCode = context.sourceCode;
  const commonjs = /\.c[jt]s$/i.test(context.filename) ? { commonjs: true } : {};
  const importEdit = runtimeImportEdit(sourceCode.ast as TSESTree.Program, sourceCode.text, [rewrite.cell], commonjs);
  const edits: TextEdit[] = [...rewrite.edits, ...(importEdit ? [importEdit] : [])];
  return (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text));
}

/** The cell rewrite of a site in the linted file, when its shape allows one. */
export function planFor(context: AnyContext, site: LazySite, cell: RuntimeName): CellRewrite | undefined {
  return planCellRewrite(site, context.sourceCode.text, cell, { typescript: isTypeScriptFile(context.filename) });
}

/** The slot as shown in messages. */
export const slotLabel = (site: LazySite): string => site.slot.name;

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

/**
 * The lazy sites of the file being linted (analysed once per file for all rules). A rule never takes a lint run down:
 * when the analysis throws on a file (a shape it does not know, an AST it did not expect), the file has no sites for
 * this rule and the rest of the run goes on.
 */
export function sitesOf(context: AnyContext, typeInfo?: TypeInfo): readonly LazySite[] {
  const sourceCode = context.sourceCode;
  try {
    return analyzeProgram(sourceCode.ast, {
      scopeManager: sourceCode.scopeManager!,
      sourceCode: { text: sourceCode.text },
      ...(typeInfo ? { typeInfo } : {}),
    });
  } catch {
    return [];
  }
}

export const isTypeScriptFile = (filename: string): boolean => /\.[cm]?tsx?$/i.test(filename);

/** A fix of the linted file: the edits of a cell rewrite plus the runtime import, none overlapping another. */
export interface PlannedFix {
  readonly rewrite: CellRewrite;
  readonly edits: readonly TextEdit[];
}

/** Applies a planned fix. */
export function cellFix(_context: AnyContext, planned: PlannedFix): TSESLint.ReportFixFunction {
  const edits = planned.edits;
  return (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text));
}

/**
 * Whether edits can be applied together: ESLint rejects a report whose fixes overlap (and that takes the whole run
 * down), so each edit must start at or after the end of every edit that starts before it.
 */
export function editsAreDisjoint(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let end = Number.MIN_SAFE_INTEGER;
  for (const edit of sorted) {
    if (edit.range[0] > edit.range[1] || edit.range[0] < end) return false;
    end = Math.max(end, edit.range[1]);
  }
  return true;
}

/**
 * The fix of a site in the linted file, when its shape allows a cell rewrite whose edits (with the runtime import)
 * do not overlap; `undefined` otherwise, so that the report goes out without a fix rather than crash the run.
 */
export function planFor(context: AnyContext, site: LazySite, cell: RuntimeName): PlannedFix | undefined {
  const sourceCode = context.sourceCode;
  try {
    const rewrite = planCellRewrite(site, sourceCode.text, cell, { typescript: isTypeScriptFile(context.filename) });
    if (!rewrite) return undefined;
    const commonjs = /\.c[jt]s$/i.test(context.filename) ? { commonjs: true } : {};
    const importEdit = runtimeImportEdit(sourceCode.ast as TSESTree.Program, sourceCode.text, [rewrite.cell], commonjs);
    const edits: TextEdit[] = [...rewrite.edits, ...(importEdit ? [importEdit] : [])];
    return editsAreDisjoint(edits) ? { rewrite, edits } : undefined;
  } catch {
    return undefined;
  }
}

/** The slot as shown in messages. */
export const slotLabel = (site: LazySite): string => site.slot.name;

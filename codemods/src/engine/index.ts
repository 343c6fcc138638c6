/**
 * The rewrite engine: parse, find the lazy sites with the shared analysis, plan minimal text edits per slot, add the
 * runtime import, apply, and check that the result still parses.
 */
import { analyzeProgram, mayHoldSite, type LazySite } from '@lazy-init/eslint-plugin/analysis';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import ts = require('typescript');
import { setParents } from './ast.js';
import { hasSyntaxErrors, parseFile, readTree, UnparseableSourceError, type ParsedFile } from './parse.js';
import { classify, planSlot, type PlanContext, type SlotPlan } from './plan.js';
import { SkipSite, skipMessage } from './reasons.js';
import { clashingRuntimeNames, runtimeImportEdits, type RuntimeName } from './runtime-import.js';
import { detectStyle } from './style.js';
import { anyConflict, applyEdits, splitBom, type TextEdit } from './text.js';
import { addedDiagnostic } from './type-check.js';
import { ProjectTypes } from './type-program.js';
import type { Engine, EngineOptions, FileResult, SiteReport, SiteSelection, TransformSlug } from './types.js';

export { TsconfigError } from './type-program.js';

export type { Engine, EngineOptions, FileResult, SiteReport, SiteSelection, TransformSlug } from './types.js';

const validateOptions = (options: EngineOptions): void => {
  if (typeof options !== 'object' || options === null) throw new TypeError('`createEngine` needs an options object.');
  if (typeof options.typeAware !== 'boolean') throw new TypeError('`options.typeAware` must be a boolean.');
  if (typeof options.preserveFailureCaching !== 'boolean') {
    throw new TypeError('`options.preserveFailureCaching` must be a boolean.');
  }
  if (options.typeAware && typeof options.tsconfigPath !== 'string') {
    throw new TypeError('`options.tsconfigPath` is required when `options.typeAware` is true.');
  }
};

/**
 * Creates an engine. A type-aware one builds its TypeScript program here, once, and answers every file from it;
 * an unreadable `tsconfig.json` throws `TsconfigError`.
 */
export function createEngine(options: EngineOptions): Engine {
  validateOptions(options);
  const project = options.typeAware && options.tsconfigPath !== undefined ? new ProjectTypes(options.tsconfigPath) : undefined;
  return {
    transform: (filePath, source, selection) => transformSource(filePath, source, options, project, selection),
  };
}

const siteKey = (site: LazySite): number => site.guard.node.range[0];

/** Rewrites one file's text; never throws for a bad file (`status: 'error'`). */
export function transformSource(
  filePath: string,
  source: string,
  options: EngineOptions,
  project: ProjectTypes | undefined,
  selection?: SiteSelection,
): FileResult {
  if (typeof filePath !== 'string' || typeof source !== 'string') {
    throw new TypeError('`transform` needs a file path and its source text.');
  }
  if (selection !== undefined && !(typeof selection === 'object' && selection !== null && Array.isArray(selection.sites))) {
    throw new TypeError('A site selection must be `{ sites: [{ line, column }, ...] }`.');
  }
  try {
    return rewrite(filePath, source, options, project, selection);
  } catch (error) {
    if (error instanceof UnparseableSourceError) return { status: 'error', message: error.message };
    // A defect of the engine on one file must not stop a run over a repository: the file is reported and left alone.
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 'error', message: `The codemod could not process \`${filePath}\`: ${detail}` };
  }
}

const rewrite = (
  filePath: string,
  source: string,
  options: EngineOptions,
  project: ProjectTypes | undefined,
  selection: SiteSelection | undefined,
): FileResult => {
  const { bom, text } = splitBom(source);
  const none: FileResult = { status: 'ok', output: undefined, sites: [] };
  // Most files hold no site, which the screen sees on the TypeScript AST; only the others are converted to ESTree and
  // analysed. A tree with syntax errors is converted all the same, so that the file is reported as not parsing.
  const tree = readTree(filePath, text, project);
  if (!mayHoldSite(tree.sourceFile, ts) && !hasSyntaxErrors(tree)) return none;
  const parsed = parseFile(filePath, tree);
  const sites = findSites(parsed, text);
  if (sites.length === 0) return none;
  const style = detectStyle(parsed.ast, text);
  const ctx: PlanContext = { text, parsed, style, options, clashes: clashingRuntimeNames(parsed.ast, parsed.scopeManager) };

  // One plan per slot, in source order of each slot's first site.
  const bySlot = new Map<string, LazySite[]>();
  for (const site of [...sites].sort((a, b) => siteKey(a) - siteKey(b))) {
    const group = bySlot.get(site.slot.key);
    if (group) group.push(site);
    else bySlot.set(site.slot.key, [site]);
  }
  const selected = options.transforms === undefined ? undefined : new Set<TransformSlug>(options.transforms);
  const groups = [...bySlot.values()]
    .map((group) => ({ group, slug: classify(group[0]!, text) }))
    .filter(({ slug }) => selected === undefined || selected.has(slug));
  const chosen = selection === undefined ? groups : groups.filter(({ group }) => group.some((site) => isSelected(site, selection)));

  /**
   * Plans `planned` and applies their edits. Every other group of the file is reported skipped: with its reason in
   * `refused`, else as `not-selected`. `rewritten`: the groups whose edits are in `output`.
   */
  const produce = (planned: readonly Group[], refused: ReadonlyMap<Group, SkipSite>): Produced => {
    const { edits: accepted, plans, skipped, groups: rewritten } = planAll(planned, ctx);
    const needs = new Set<RuntimeName>(plans.flatMap((plan) => [...plan.needs]));
    const left = groups
      .filter((group) => !planned.includes(group))
      .flatMap((group) => group.group.map((site) => skippedReport(site, group.slug, refused.get(group) ?? new SkipSite('not-selected'))));
    const reports: SiteReport[] = [...plans.flatMap((plan) => plan.reports), ...skipped, ...left];
    reports.sort((a, b) => a.line - b.line || a.column - b.column);
    if (accepted.length === 0) return { output: undefined, reports, rewritten: [] };
    const edits = [...accepted, ...runtimeImportEdits(parsed.ast, text, needs, parsed.moduleKind)];
    try {
      const output = applyEdits(text, edits);
      parseFile(filePath, readTree(filePath, output, undefined));
      return { output, reports, rewritten };
    } catch {
      const unparseable = (report: SiteReport): SiteReport =>
        report.outcome === 'rewritten'
          ? {
              line: report.line,
              column: report.column,
              slot: report.slot,
              transform: report.transform,
              outcome: 'skipped',
              reason: 'internal-unparseable-output',
              message: skipMessage(report.slot, 'internal-unparseable-output'),
            }
          : report;
      return { output: undefined, reports: reports.map(unparseable), rewritten: [] };
    }
  };

  let result = produce(chosen, new Map());
  // In type-aware mode a rewrite is written only if the file still type-checks as well as it did.
  const { project: typed } = tree;
  if (typed !== undefined && result.output !== undefined) {
    const check = (output: string | undefined): string | undefined =>
      output === undefined ? undefined : addedDiagnostic(typed.program, tree.sourceFile, output);
    const problem = check(result.output);
    if (problem !== undefined) result = verified(chosen, result.rewritten, problem, produce, check);
  }
  const output = result.output === undefined ? undefined : bom + result.output;
  return { status: 'ok', output: output === source ? undefined : output, sites: result.reports };
};

interface Produced {
  /** Without BOM; `undefined` when nothing was rewritten. */
  readonly output: string | undefined;
  readonly reports: SiteReport[];
  readonly rewritten: readonly Group[];
}

/**
 * The largest rewrite that adds no type error, found slot by slot: each rewritten slot is tried alone, and those that
 * pass alone are combined, in source order, as long as the combination passes too. A slot left out is reported
 * skipped as `type-error` with the first diagnostic its rewrite added. `problem`: what the whole rewrite added, which
 * is what a single rewritten slot adds alone, so that check is not made twice.
 */
const verified = (
  chosen: readonly Group[],
  rewritten: readonly Group[],
  problem: string,
  produce: (planned: readonly Group[], refused: ReadonlyMap<Group, SkipSite>) => Produced,
  check: (output: string | undefined) => string | undefined,
): Produced => {
  const refused = new Map<Group, SkipSite>();
  const passing: Group[] = [];
  for (const group of rewritten) {
    const alone = rewritten.length === 1 ? problem : check(produce([group], refused).output);
    if (alone === undefined) passing.push(group);
    else refused.set(group, new SkipSite('type-error', alone));
  }
  let kept = passing;
  if (passing.length > 1 && check(produce(passing, refused).output) !== undefined) {
    kept = [];
    for (const group of passing) {
      const added = check(produce([...kept, group], refused).output);
      if (added === undefined) kept.push(group);
      else refused.set(group, new SkipSite('type-error', added));
    }
  }
  return produce(
    chosen.filter((group) => !refused.has(group)),
    refused,
  );
};

const findSites = (parsed: ParsedFile, text: string): readonly LazySite[] => {
  setParents(parsed.ast);
  return analyzeProgram(parsed.ast, {
    scopeManager: parsed.scopeManager,
    sourceCode: { text },
    ...(parsed.typeInfo ? { typeInfo: parsed.typeInfo } : {}),
  });
};

interface Group {
  readonly group: readonly LazySite[];
  readonly slug: TransformSlug;
}

/**
 * Plans every slot so that their edits compose. A slot's initializer can read another slot (`new Sim(this.#marks)`):
 * the other slot's edit then belongs inside the moved initializer. A slot planned later embeds the edits of those
 * planned before it (`SlotPlan.consumed`); when a slot collides with slots planned before it, it is planned first
 * and those are planned again on top of it. What still collides is skipped as `overlapping-site`.
 */
const planAll = (
  groups: readonly Group[],
  ctx: PlanContext,
): { edits: TextEdit[]; plans: SlotPlan[]; skipped: SiteReport[]; groups: Group[] } => {
  const skipped: SiteReport[] = [];
  type Accepted = { readonly group: Group; readonly plan: SlotPlan };
  /** The edits to apply: every accepted plan's, less those another accepted plan embedded. */
  const effective = (accepted: readonly Accepted[]): TextEdit[] => {
    const embedded = new Set(accepted.flatMap((each) => [...each.plan.consumed]));
    return accepted.flatMap((each) => each.plan.edits.filter((edit) => !embedded.has(edit)));
  };
  const plan = (group: Group, accepted: readonly Accepted[]): Accepted => {
    const prior = effective(accepted);
    const result = planSlot(group.group, group.slug, ctx, prior);
    if (anyConflict(result.edits, prior.filter((edit) => !result.consumed.has(edit)))) throw new SkipSite('overlapping-site');
    return { group, plan: result };
  };
  let accepted: Accepted[] = [];
  for (const group of groups) {
    try {
      accepted = [...accepted, plan(group, accepted)];
      continue;
    } catch (error) {
      if (!(error instanceof SkipSite)) throw error;
      if (error.reason !== 'overlapping-site') {
        for (const site of group.group) skipped.push(skippedReport(site, group.slug, error));
        continue;
      }
    }
    // Plan this slot first, then the slots it collided with again, on top of it.
    try {
      const alone = planSlot(group.group, group.slug, ctx).edits;
      const colliding = accepted.filter((each) => anyConflict(each.plan.edits, alone));
      let replanned = accepted.filter((each) => !colliding.includes(each));
      replanned = [...replanned, plan(group, replanned)];
      for (const each of colliding) replanned = [...replanned, plan(each.group, replanned)];
      accepted = replanned;
    } catch (error) {
      if (!(error instanceof SkipSite)) throw error;
      for (const site of group.group) skipped.push(skippedReport(site, group.slug, new SkipSite('overlapping-site')));
    }
  }
  return { edits: effective(accepted), plans: accepted.map((each) => each.plan), skipped, groups: accepted.map((each) => each.group) };
};

/** Where a site's report puts it: the guard's 1-based line and column. */
const sitePosition = (site: LazySite): { readonly line: number; readonly column: number } => ({
  line: site.guard.node.loc.start.line,
  column: site.guard.node.loc.start.column + 1,
});

const isSelected = (site: LazySite, selection: SiteSelection): boolean => {
  const { line, column } = sitePosition(site);
  return selection.sites.some((each) => each.line === line && each.column === column);
};

const skippedReport = (site: LazySite, slug: TransformSlug, skip: SkipSite): SiteReport => ({
  ...sitePosition(site),
  slot: site.slot.name,
  transform: slug,
  outcome: 'skipped',
  reason: skip.reason,
  message: skipMessage(site.slot.name, skip.reason, skip.detail),
});

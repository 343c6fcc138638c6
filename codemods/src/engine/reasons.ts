/**
 * Why a site was left alone: one stable code per cause, each with a sentence for people. The codes are part of the
 * report (`--json`), so they only ever get added, never renamed.
 */

export const SKIP_REASONS = {
  'exported-live-binding': 'is exported as a live binding that other modules may read or write, and a cell would change what they see',
  'other-writer': 'is written elsewhere in a way that has no runtime equivalent',
  'falsy-initializer': 'is guarded by a falsy test, and its initializer may produce a falsy value that the old code recomputed but a cell would keep',
  'nullish-initializer': 'is guarded by a nullish test, and its initializer may produce `null` or `undefined` that the old code recomputed but a cell would keep',
  'unnameable-type': 'holds a type that cannot be written in this file without type information, and the cell needs it as a type argument',
  'tri-state-null': 'uses `null` to mean "disabled" beside `undefined` meaning "not yet", which a cell cannot express',
  'paired-slot': 'is paired with another slot (a value and its pending promise), which needs a rewrite by hand',
  'promise-replaced-by-value': 'replaces its promise with the resolved value, which needs a rewrite by hand',
  'alias-read': 'is read through a local alias of the stored value, which needs a rewrite by hand',
  'unsupported-slot': 'lives in a kind of slot the codemod does not rewrite',
  'unsupported-shape': 'is written in a shape the codemod cannot restructure safely',
  'unsupported-read': 'is read in a place where the cell\'s `get()` would not type-check',
  'cell-name-conflict': 'cannot be rewritten because the names the rewrite needs are taken',
  'overlapping-site': 'overlaps another site that was rewritten first',
  'reentrant-initializer': 'has an initializer that reaches the slot\'s own accessor, so the cell would be asked for its value while it computes it',
  'internal-unparseable-output': 'was not rewritten because the rewritten file would not parse',
  'type-error': 'was not rewritten because the rewritten file would not type-check',
  'conditional-store': 'is stored only under a condition unrelated to the slot, so some calls leave it empty, which a cell cannot express',
  'branch-store': 'is stored in several branches, which needs a rewrite by hand',
  'once-flag': 'is a once-flag beside one-time work, which needs a rewrite by hand into a cell whose initializer does the work',
  'shared-slot': 'lives on an object that other code holds (a nested member, a parameter\'s member or the global object through a local name), whose other users the codemod cannot follow',
  'sentinel-guard': 'uses a sentinel value to mean "not yet", which other code may compare against',
  'construction-context': 'is filled in a constructor or at the top level, where a cell would change when the initializer runs',
  'not-selected': 'was not selected for rewriting (declined at the interactive review)',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/** Thrown while planning a slot; the whole slot (every site on it) is skipped with this reason. */
export class SkipSite extends Error {
  override readonly name = 'SkipSite';
  constructor(
    readonly reason: SkipReason,
    readonly detail?: string,
  ) {
    super(detail ?? SKIP_REASONS[reason]);
  }
}

export const skipMessage = (slot: string, reason: SkipReason, detail?: string): string =>
  `Left \`${slot}\` as it is: it ${SKIP_REASONS[reason]}${detail ? ` (${detail})` : ''}.`;

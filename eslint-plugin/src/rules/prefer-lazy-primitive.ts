import { createRule } from '../utils/create-rule.js';
import { isNeverFalsy } from '../analysis/fix.js';
import { SLOT_KINDS, cellFix, planFor, sitesOf, slotKindsSchema, slotLabel } from '../analysis/rule-support.js';
import type { LazySite, SlotKind } from '../analysis/types.js';

export type Options = [
  {
    /** Apply the rewrite as an autofix when it provably keeps behaviour; otherwise it is only a suggestion. */
    autofix?: boolean;
    slotKinds?: SlotKind[];
  },
];

export type MessageIds = 'preferLazyPrimitive' | 'preferLazyPrimitiveFalsy' | 'preferLazyPrimitiveOnce' | 'suggestCell';

/**
 * The rewrite keeps behaviour exactly when nothing else can observe the slot: a private module or closure `let`, one
 * site, no other writer, every read in the accessor, and an initializer that cannot return a falsy or nullish value (so
 * the hand-rolled guard and the cell agree on when to run it).
 */
function isProvablySafe(site: LazySite): boolean {
  return (
    (site.slot.kind === 'module' || site.slot.kind === 'closure') &&
    !site.slot.exported &&
    site.flags.singleSite &&
    site.otherWriters.length === 0 &&
    site.reads.every((read) => read.inSite) &&
    (isNeverFalsy(site.initializer.node) || site.initializer.mayBeFalsy === false && site.initializer.mayBeNullish === false)
  );
}

export default createRule<Options, MessageIds>({
  name: 'prefer-lazy-primitive',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Prefer a `@lazy-init/runtime` cell to hand-rolled synchronous lazy initialization.',
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          autofix: {
            type: 'boolean',
            description: 'Apply the rewrite as an autofix when it provably keeps behaviour (otherwise it is offered as a suggestion only). Default `true`.',
          },
          slotKinds: slotKindsSchema,
        },
      },
    ],
    messages: {
      preferLazyPrimitive:
        '`{{slot}}` is initialized lazily by hand, so a reentrant initializer recurses instead of throwing. Use `{{cell}}` from `@lazy-init/runtime`.',
      preferLazyPrimitiveFalsy:
        '`{{slot}}` is initialized lazily behind a falsy check, so a falsy value re-runs its initializer. Use `{{cell}}` from `@lazy-init/runtime`.',
      preferLazyPrimitiveOnce:
        '`{{slot}}` is a hand-rolled once-flag, so a reentrant call skips the work it guards. Work that throws is never retried either; use a `{{cell}}` from `@lazy-init/runtime` and run the work in its initializer.',
      suggestCell: 'Rewrite `{{slot}}` as a `{{cell}}` and call `getOrInit()` in its accessor.',
    },
  },
  defaultOptions: [{ autofix: true, slotKinds: [...SLOT_KINDS] }],
  create(context, [options]) {
    const kinds = new Set(options.slotKinds);
    return {
      'Program:exit'() {
        for (const site of sitesOf(context)) {
          if (site.initializer.kind !== 'sync' || !kinds.has(site.slot.kind)) continue;
          const slot = slotLabel(site);
          const cell = 'OnceCell';
          const rewrite = planFor(context, site, cell);
          const safe = rewrite !== undefined && options.autofix !== false && isProvablySafe(site);
          context.report({
            node: site.guard.node,
            messageId:
              site.shape.store === 'once-flag'
                ? 'preferLazyPrimitiveOnce'
                : site.guard.treatsFalsyAsEmpty && !isNeverFalsy(site.initializer.node)
                  ? 'preferLazyPrimitiveFalsy'
                  : 'preferLazyPrimitive',
            data: { slot, cell },
            ...(rewrite && safe ? { fix: cellFix(context, rewrite) } : {}),
            ...(rewrite && !safe ? { suggest: [{ messageId: 'suggestCell' as const, data: { slot, cell }, fix: cellFix(context, rewrite) }] } : {}),
          });
        }
      },
    };
  },
});

import { createRule } from '../utils/create-rule.js';
import { cellFix, planFor, sitesOf, SLOT_KINDS, slotKindsOptionSchema, slotLabel } from '../analysis/rule-support.js';
import type { SlotKind } from '../analysis/types.js';

export type Options = [{ slotKinds?: SlotKind[] }];

export type MessageIds = 'asyncInitRace' | 'suggestOnceLock';

export default createRule<Options, MessageIds>({
  name: 'no-async-init-race',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow checking a long-lived slot, awaiting, then storing into it without checking again.',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [slotKindsOptionSchema],
    messages: {
      asyncInitRace:
        '`{{slot}}` is checked, then stored after an `await`, so concurrent callers each run its initializer. Use `OnceLock` from `@lazy-init/runtime`.',
      suggestOnceLock: 'Rewrite `{{slot}}` as a `OnceLock` and `await` its `getOrInit()`.',
    },
  },
  defaultOptions: [{ slotKinds: [...SLOT_KINDS] }],
  create(context, [options]) {
    const kinds = new Set(options.slotKinds);
    return {
      'Program:exit'() {
        for (const site of sitesOf(context)) {
          if (site.initializer.kind !== 'awaited' || site.flags.recheckAfterAwait || !kinds.has(site.slot.kind)) continue;
          const slot = slotLabel(site);
          const rewrite = site.accessor?.async ? planFor(context, site, 'OnceLock') : undefined;
          context.report({
            node: site.guard.node,
            messageId: 'asyncInitRace',
            data: { slot },
            ...(rewrite ? { suggest: [{ messageId: 'suggestOnceLock' as const, data: { slot }, fix: cellFix(context, rewrite) }] } : {}),
          });
        }
      },
    };
  },
});

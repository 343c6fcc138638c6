import { createRule } from '../utils/create-rule.js';
import { cellFix, planFor, sitesOf, SLOT_KINDS, slotKindsOptionSchema, slotLabel } from '../analysis/rule-support.js';
import type { SlotKind } from '../analysis/types.js';

export type Options = [{ slotKinds?: SlotKind[] }];

export type MessageIds = 'cachedRejection' | 'suggestOnceLock';

export default createRule<Options, MessageIds>({
  name: 'no-cached-rejection',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow caching a promise in a long-lived slot without clearing it when it rejects.',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [slotKindsOptionSchema],
    messages: {
      cachedRejection:
        '`{{slot}}` keeps its cached promise when it rejects, so every later caller gets the same rejection. Use `OnceLock` or clear it in `.catch()`.',
      suggestOnceLock: 'Rewrite `{{slot}}` as a `OnceLock` (a failed initialization is retried by the next caller).',
    },
  },
  defaultOptions: [{ slotKinds: [...SLOT_KINDS] }],
  create(context, [options]) {
    const kinds = new Set(options.slotKinds);
    return {
      'Program:exit'() {
        for (const site of sitesOf(context)) {
          if (site.initializer.kind !== 'promise' || site.flags.clearedOnRejection || !kinds.has(site.slot.kind)) continue;
          const slot = slotLabel(site);
          const rewrite = planFor(context, site, 'OnceLock');
          context.report({
            node: site.guard.node,
            messageId: 'cachedRejection',
            data: { slot },
            ...(rewrite ? { suggest: [{ messageId: 'suggestOnceLock' as const, data: { slot }, fix: cellFix(context, rewrite) }] } : {}),
          });
        }
      },
    };
  },
});

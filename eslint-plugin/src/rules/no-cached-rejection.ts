import { createRule } from '../utils/create-rule.js';
import { cellFix, planFor, sitesOf, SLOT_KINDS, slotKindsOptionSchema, slotLabel } from '../analysis/rule-support.js';
import type { SlotKind } from '../analysis/types.js';

export type Options = [{ slotKinds?: SlotKind[] }];

export type MessageIds = 'cachedRejection' | 'cachedFailedOperation' | 'suggestOnceLock';

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
      cachedFailedOperation:
        '`{{slot}}` caches `{{operation}}()`, so after one rejection every later call gets it again. The operation is never retried; clear the slot when it rejects, or use `OnceLock`.',
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
          const operation = site.shape.signals.includes('close-memo') ? site.accessor?.name : undefined;
          context.report({
            node: site.guard.node,
            ...(operation ? { messageId: 'cachedFailedOperation' as const, data: { slot, operation } } : { messageId: 'cachedRejection' as const, data: { slot } }),
            ...(rewrite ? { suggest: [{ messageId: 'suggestOnceLock' as const, data: { slot }, fix: cellFix(context, rewrite) }] } : {}),
          });
        }
      },
    };
  },
});

import { AST_NODE_TYPES, ESLintUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../utils/create-rule.js';
import { unwrap } from '../analysis/ast.js';
import { sitesOf, SLOT_KINDS, slotKindsOptionSchema, slotLabel } from '../analysis/rule-support.js';
import type { LazySite, SlotKind } from '../analysis/types.js';

export type Options = [{ slotKinds?: SlotKind[] }];

export type MessageIds = 'falsyLazyGuard' | 'suggestNullish';

/** The same guard with `undefined`/`null` as the only empty values: `??=`, `x ?? (x = ...)`, `x === undefined`. */
function nullishGuardFix(site: LazySite, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.ReportFixFunction | undefined {
  const { guard } = site;
  const node = guard.node;
  switch (guard.kind) {
    case 'or-assign': {
      const assignment = node as TSESTree.AssignmentExpression;
      const operator = sourceCode.getTokenAfter(assignment.left, (token) => token.value === '||=');
      return operator ? (fixer) => fixer.replaceText(operator, '??=') : undefined;
    }
    case 'logical-or':
    case 'assign-or': {
      const logical = (guard.kind === 'logical-or' ? node : unwrap((node as TSESTree.AssignmentExpression).right)) as TSESTree.LogicalExpression;
      const operator = sourceCode.getTokenAfter(logical.left, (token) => token.value === '||');
      return operator ? (fixer) => fixer.replaceText(operator, '??') : undefined;
    }
    case 'not': {
      const test = unwrap(guard.test);
      if (test.type !== AST_NODE_TYPES.UnaryExpression) return undefined;
      const subject = sourceCode.getText(test.argument);
      const needsParens = !/^[\w$#.]+$/.test(subject);
      return (fixer) => fixer.replaceText(test, `${needsParens ? `(${subject})` : subject} === undefined`);
    }
    default:
      return undefined;
  }
}

export default createRule<Options, MessageIds>({
  name: 'no-falsy-lazy-guard',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow falsy checks (`!x`, `||=`, `x || (x = ...)`) on lazy slots whose initializer can return a falsy value.',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    schema: [slotKindsOptionSchema],
    messages: {
      falsyLazyGuard:
        '`{{slot}}` is guarded by a falsy check, so a falsy value makes its initializer run again. It returns `{{type}}`; test for `undefined` (`??=`) instead.',
      suggestNullish: 'Treat only `undefined`/`null` as empty in the guard of `{{slot}}`.',
    },
  },
  defaultOptions: [{ slotKinds: [...SLOT_KINDS] }],
  create(context, [options]) {
    // Throws typescript-eslint's standard error when the file was parsed without type information.
    const services = ESLintUtils.getParserServices(context);
    const kinds = new Set(options.slotKinds);
    return {
      'Program:exit'() {
        const typeInfo = { checker: services.program.getTypeChecker(), esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap };
        for (const site of sitesOf(context, typeInfo)) {
          if (!site.guard.treatsFalsyAsEmpty || site.initializer.mayBeFalsy !== true || !kinds.has(site.slot.kind)) continue;
          const slot = slotLabel(site);
          const fix = nullishGuardFix(site, context.sourceCode);
          context.report({
            node: site.guard.node,
            messageId: 'falsyLazyGuard',
            data: { slot, type: site.initializer.typeText ?? 'a falsy value' },
            ...(fix ? { suggest: [{ messageId: 'suggestNullish' as const, data: { slot }, fix }] } : {}),
          });
        }
      },
    };
  },
});

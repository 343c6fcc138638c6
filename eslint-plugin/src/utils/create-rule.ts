import { ESLintUtils } from '@typescript-eslint/utils';

/** Every rule's documentation lives beside the code, under `docs/rules/<rule-id>.md`. */
export const docsUrl = (ruleId: string): string =>
  `https://github.com/lazy-init/lazy-init/blob/main/eslint-plugin/docs/rules/${ruleId}.md`;

/** Extra `meta.docs` fields every rule of this plugin declares. */
export interface LazyInitRuleDocs {
  /** The rule sits in `configs.recommended` (and so in the stricter configs too). */
  recommended: boolean;
  /** The rule needs type information and sits only in the type-checked configs. */
  requiresTypeChecking: boolean;
}

export const createRule = ESLintUtils.RuleCreator<LazyInitRuleDocs>(docsUrl);

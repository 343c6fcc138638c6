import noAsyncInitRace from './no-async-init-race.js';
import noCachedRejection from './no-cached-rejection.js';
import noFalsyLazyGuard from './no-falsy-lazy-guard.js';
import noReentrantInit from './no-reentrant-init.js';
import preferLazyPrimitive from './prefer-lazy-primitive.js';

/** The plugin's rules by id. Kept in sync with `docs/rules/` and the configs by the structure test. */
export const rules = {
  'no-async-init-race': noAsyncInitRace,
  'no-cached-rejection': noCachedRejection,
  'no-falsy-lazy-guard': noFalsyLazyGuard,
  'no-reentrant-init': noReentrantInit,
  'prefer-lazy-primitive': preferLazyPrimitive,
};

export type RuleId = keyof typeof rules;

/**
 * jscodeshift transform `async-init-race`: check-await-assign races become a `OnceLock` whose initializer runs once.
 * The same engine as the `lazy-init-codemod` command, restricted to this transform.
 */
import { createJscodeshiftTransform } from '../engine/jscodeshift.js';

export const parser = 'tsx';

const transform = createJscodeshiftTransform('async-init-race');

export default transform;

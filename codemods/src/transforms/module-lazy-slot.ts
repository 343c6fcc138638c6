/**
 * jscodeshift transform `module-lazy-slot`: module and closure slots with a synchronous accessor become `LazyCell` or `OnceCell`.
 * The same engine as the `lazy-init-codemod` command, restricted to this transform.
 */
import { createJscodeshiftTransform } from '../engine/jscodeshift.js';

export const parser = 'tsx';

const transform = createJscodeshiftTransform('module-lazy-slot');

export default transform;

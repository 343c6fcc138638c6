/**
 * jscodeshift transform `static-singleton`: class static singletons become a static `LazyCell` field.
 * The same engine as the `lazy-init-codemod` command, restricted to this transform.
 */
import { createJscodeshiftTransform } from '../engine/jscodeshift.js';

export const parser = 'tsx';

const transform = createJscodeshiftTransform('static-singleton');

export default transform;

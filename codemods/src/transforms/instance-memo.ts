/**
 * jscodeshift transform `instance-memo`: instance memo getters and slots become a `OnceCell` field of the same name.
 * The same engine as the `lazy-init-codemod` command, restricted to this transform.
 */
import { createJscodeshiftTransform } from '../engine/jscodeshift.js';

export const parser = 'tsx';

const transform = createJscodeshiftTransform('instance-memo');

export default transform;

/**
 * jscodeshift transform `promise-cache`: promise caches become a `OnceLock` (rejections are retried, unless `--preserve-failure-caching`).
 * The same engine as the `lazy-init-codemod` command, restricted to this transform.
 */
import { createJscodeshiftTransform } from '../engine/jscodeshift.js';

export const parser = 'tsx';

const transform = createJscodeshiftTransform('promise-cache');

export default transform;

/**
 * The one place the driver reaches the rewrite engine. The engine is loaded by module URL rather than imported
 * statically because worker threads must load it themselves (a function cannot cross a thread boundary), and
 * because loading it lazily keeps `--help`, `--version` and usage errors from paying for the TypeScript compiler.
 */
import { EngineLoadError } from './driver/errors.js';
import type { createEngine as packagedCreateEngine } from './engine/index.js';
import type { Engine, EngineOptions } from './engine/types.js';

export type CreateEngine = (options: EngineOptions) => Engine;

// The packaged engine is loaded by URL; this keeps its `createEngine` type-checked against what the driver calls.
type PackagedEngineFits = typeof packagedCreateEngine extends CreateEngine ? true : never;
const packagedEngineFits: PackagedEngineFits = true;
void packagedEngineFits;

/** The engine shipped with this package: `createEngine` exported by `engine/index.js`. */
export const defaultEngineModule: string = new URL('./engine/index.js', import.meta.url).href;

/** Imports `moduleUrl` and returns its `createEngine` export. */
export async function loadCreateEngine(moduleUrl: string): Promise<CreateEngine> {
  let loaded: unknown;
  try {
    loaded = await import(moduleUrl);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_MODULE_NOT_FOUND';
    const detail = error instanceof Error ? error.message : String(error);
    throw new EngineLoadError(
      missing && moduleUrl === defaultEngineModule
        ? `The rewrite engine is missing from this build of \`@lazy-init/codemod\` (${detail}).`
        : `The rewrite engine \`${moduleUrl}\` could not be loaded: ${detail}`,
      { cause: error },
    );
  }
  const createEngine = (loaded as { createEngine?: unknown }).createEngine;
  if (typeof createEngine !== 'function') {
    throw new EngineLoadError(`The rewrite engine module \`${moduleUrl}\` does not export a \`createEngine\` function.`);
  }
  return createEngine as CreateEngine;
}

/**
 * What every engine runner does with its engine: a worker thread creates it once and reports a failure to load;
 * every runner, in process or not, runs it on one file without throwing.
 */
import { loadCreateEngine } from '../engine-loader.js';
import type { Engine, FileResult, SiteSelection } from '../engine/types.js';
import { describeError } from './files.js';
import type { WorkerData } from './worker-protocol.js';

/**
 * The thread's engine, or `undefined` after posting why it could not be made: reported as a message rather than
 * thrown, so the parent can name the cause; with nothing left to do the thread then ends.
 */
export async function startEngine(
  data: WorkerData,
  post: (message: { type: 'load-error'; message: string }) => void,
): Promise<Engine | undefined> {
  try {
    return (await loadCreateEngine(data.engineModule))(data.engineOptions);
  } catch (error) {
    post({ type: 'load-error', message: describeError(error) });
    return undefined;
  }
}

/** One file through the engine; an engine that throws loses that file alone. */
export function transformOne(
  engine: Engine,
  filePath: string,
  source: string,
  selection?: SiteSelection,
): { readonly kind: 'result'; readonly result: FileResult } | { readonly kind: 'crash'; readonly message: string } {
  try {
    return { kind: 'result', result: selection === undefined ? engine.transform(filePath, source) : engine.transform(filePath, source, selection) };
  } catch (error) {
    return { kind: 'crash', message: describeError(error) };
  }
}

/** Entry point of a transform worker thread: one engine per thread, one file at a time. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadCreateEngine } from '../engine-loader.js';
import type { Engine } from '../engine/types.js';
import { describeError } from './files.js';
import type { TransformRequest, WorkerData, WorkerMessage } from './worker-protocol.js';

async function serve(port: MessagePort, data: WorkerData): Promise<void> {
  const post = (message: WorkerMessage): void => port.postMessage(message);
  let engine: Engine;
  try {
    engine = (await loadCreateEngine(data.engineModule))(data.engineOptions);
  } catch (error) {
    // Reported as a message rather than thrown, so the pool can name the cause; with no listener left the thread ends.
    post({ type: 'load-error', message: describeError(error) });
    return;
  }
  port.on('message', (request: TransformRequest) => {
    let message: WorkerMessage;
    try {
      message = { type: 'result', id: request.id, result: engine.transform(request.filePath, request.source) };
    } catch (error) {
      message = { type: 'crash', id: request.id, message: describeError(error) };
    }
    try {
      post(message);
    } catch (error) {
      // A result that cannot be cloned is the engine's fault, reported for that file alone.
      post({
        type: 'crash',
        id: request.id,
        message: `The engine returned a result that cannot be sent between threads: ${describeError(error)}`,
      });
    }
  });
  post({ type: 'ready' });
}

if (parentPort === null) throw new Error('The transform worker must run in a worker thread.');
void serve(parentPort, workerData as WorkerData);

/** Entry point of a transform worker thread: one engine per thread, one file at a time. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { describeError } from './files.js';
import { startEngine, transformOne } from './worker-engine.js';
import type { TransformRequest, WorkerData, WorkerMessage } from './worker-protocol.js';

async function serve(port: MessagePort, data: WorkerData): Promise<void> {
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const engine = await startEngine(data, post);
  if (engine === undefined) return;
  port.on('message', (request: TransformRequest) => {
    const outcome = transformOne(engine, request.filePath, request.source, request.selection);
    const message: WorkerMessage =
      outcome.kind === 'result'
        ? { type: 'result', id: request.id, result: outcome.result }
        : { type: 'crash', id: request.id, message: outcome.message };
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

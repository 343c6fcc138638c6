/**
 * Entry point of a scan worker thread: runs an engine over the files it was started with, taking each from a queue
 * shared with other threads, and posts each outcome. It needs nothing from the parent thread once started, so it keeps
 * working while the parent thread is busy (building the TypeScript program of a type-aware run).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadCreateEngine } from '../engine-loader.js';
import type { Engine } from '../engine/types.js';
import { describeError } from './files.js';
import type { ScanData, ScanMessage } from './worker-protocol.js';

async function scan(port: MessagePort, data: ScanData): Promise<void> {
  const post = (message: ScanMessage): void => port.postMessage(message);
  let engine: Engine;
  try {
    engine = (await loadCreateEngine(data.engineModule))(data.engineOptions);
  } catch (error) {
    post({ type: 'load-error', message: describeError(error) });
    return;
  }
  const { files, next } = data;
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    const { filePath, source } = files[index]!;
    let outcome: Extract<ScanMessage, { type: 'file' }>['outcome'];
    try {
      outcome = { kind: 'result', result: engine.transform(filePath, source) };
    } catch (error) {
      outcome = { kind: 'crash', message: describeError(error) };
    }
    post({ type: 'file', index, outcome });
  }
  post({ type: 'done' });
}

if (parentPort === null) throw new Error('The scan worker must run in a worker thread.');
void scan(parentPort, workerData as ScanData);

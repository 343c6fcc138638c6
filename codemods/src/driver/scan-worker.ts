/**
 * Entry point of a scan worker thread: runs an engine over the files it was started with, taking each from a queue
 * shared with other threads, and posts each outcome. It needs nothing from the parent thread once started, so it keeps
 * working while the parent thread is busy (building the TypeScript program of a type-aware run).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { startEngine, transformOne } from './worker-engine.js';
import type { ScanData, ScanMessage } from './worker-protocol.js';

async function scan(port: MessagePort, data: ScanData): Promise<void> {
  const post = (message: ScanMessage): void => port.postMessage(message);
  const engine = await startEngine(data, post);
  if (engine === undefined) return;
  const { files, next } = data;
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    const { filePath, source } = files[index]!;
    post({ type: 'file', index, outcome: transformOne(engine, filePath, source) });
  }
  post({ type: 'done' });
}

if (parentPort === null) throw new Error('The scan worker must run in a worker thread.');
void scan(parentPort, workerData as ScanData);

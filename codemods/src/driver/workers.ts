import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { loadCreateEngine, type CreateEngine } from '../engine-loader.js';
import type { EngineOptions, FileResult, SiteSelection } from '../engine/types.js';
import { EngineLoadError } from './errors.js';
import { describeError } from './files.js';
import { transformOne } from './worker-engine.js';
import type { ScanData, ScanMessage, TransformRequest, WorkerData, WorkerMessage } from './worker-protocol.js';

export type TransformOutcome =
  | { readonly kind: 'result'; readonly result: FileResult }
  | { readonly kind: 'crash'; readonly message: string }
  /** The runner was closed before the file's turn came or while it was being transformed. */
  | { readonly kind: 'abandoned' };

/** Runs the engine over files, in this thread or in a pool of worker threads. */
export interface TransformRunner {
  /** How many files it transforms at the same time. */
  readonly parallelism: number;
  /** With a `selection`, only the slots it names are rewritten (see `SiteSelection`). */
  transform(filePath: string, source: string, selection?: SiteSelection): Promise<TransformOutcome>;
  /** Abandons queued and running files (their promises settle `abandoned`) and stops the threads. */
  close(): Promise<void>;
}

/** Where the engine comes from: a module exporting `createEngine` (needed for worker threads), or the function. */
export type EngineSource = { readonly module: string } | { readonly create: CreateEngine };

export async function createInProcessRunner(source: EngineSource, options: EngineOptions): Promise<TransformRunner> {
  const create = 'create' in source ? source.create : await loadCreateEngine(source.module);
  let engine;
  try {
    engine = create(options);
  } catch (error) {
    throw new EngineLoadError(`The rewrite engine could not be created: ${describeError(error)}`, { cause: error });
  }
  let closed = false;
  return {
    parallelism: 1,
    async transform(filePath, text, selection) {
      // The engine is synchronous and holds the event loop while it runs; yielding first lets a pending interrupt
      // (SIGINT) be seen between files.
      await nextTurn();
      if (closed) return { kind: 'abandoned' };
      return transformOne(engine, filePath, text, selection);
    },
    async close() {
      closed = true;
    },
  };
}

interface Job {
  readonly request: TransformRequest;
  readonly resolve: (outcome: TransformOutcome) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  ready: boolean;
}

/**
 * A pool of `size` worker threads, each with its own engine built from `module` and `options`. Files wait in one
 * queue and go to whichever thread is free. A thread that dies takes only its current file with it (reported as a
 * crash) and is replaced. Resolves once every thread has loaded its engine.
 */
export async function createWorkerRunner(module: string, options: EngineOptions, size: number): Promise<TransformRunner> {
  const workerUrl = new URL('./worker.js', import.meta.url);
  const data: WorkerData = { engineModule: module, engineOptions: options };
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;
  let loadFailure: ((error: Error) => void) | undefined;
  let allReady: (() => void) | undefined;

  const dispatch = (): void => {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(workerUrl, { workerData: data }), job: undefined, ready: false };
    slot.worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          slot.ready = true;
          if (slots.every((s) => s.ready)) allReady?.();
          dispatch();
          return;
        case 'load-error':
          loadFailure?.(new EngineLoadError(message.message));
          return;
        case 'result':
        case 'crash': {
          const job = slot.job;
          if (!job || job.request.id !== message.id) return;
          slot.job = undefined;
          job.resolve(message.type === 'result' ? { kind: 'result', result: message.result } : { kind: 'crash', message: message.message });
          dispatch();
          return;
        }
      }
    });
    const onDeath = (reason: string): void => {
      const index = slots.indexOf(slot);
      if (index === -1) return;
      const job = slot.job;
      slot.job = undefined;
      if (closed) {
        job?.resolve({ kind: 'abandoned' });
        return;
      }
      if (!slot.ready) {
        if (loadFailure) {
          loadFailure(new EngineLoadError(`A transform worker stopped before its engine was ready: ${reason}`));
          return;
        }
        // A replacement thread that cannot start: run on with the others, and fail the queue if none are left.
        slots.splice(index, 1);
        if (slots.length === 0) {
          for (const queued of queue.splice(0)) {
            queued.resolve({ kind: 'crash', message: `No transform worker could be started: ${reason}` });
          }
        }
        return;
      }
      job?.resolve({ kind: 'crash', message: `The transform worker stopped while rewriting this file: ${reason}` });
      slots[index] = spawn();
    };
    slot.worker.on('error', (error) => onDeath(describeError(error)));
    slot.worker.on('exit', (code) => onDeath(`exit code ${code}`));
    return slot;
  };

  const terminateAll = async (): Promise<void> => {
    closed = true;
    for (const job of queue.splice(0)) job.resolve({ kind: 'abandoned' });
    await Promise.all(
      slots.map(async (slot) => {
        const job = slot.job;
        slot.job = undefined;
        job?.resolve({ kind: 'abandoned' });
        await slot.worker.terminate();
      }),
    );
  };

  const ready = new Promise<void>((resolve, reject) => {
    allReady = resolve;
    loadFailure = reject;
  });
  for (let i = 0; i < size; i++) slots.push(spawn());
  try {
    await ready;
  } catch (error) {
    await terminateAll();
    throw error;
  }
  loadFailure = undefined;
  allReady = undefined;

  return {
    parallelism: size,
    transform(filePath, source, selection) {
      if (closed) return Promise.resolve({ kind: 'abandoned' });
      if (slots.length === 0) return Promise.resolve({ kind: 'crash', message: 'No transform worker is left running.' });
      return new Promise((resolve) => {
        queue.push({ request: { id: nextId++, filePath, source, ...(selection ? { selection } : {}) }, resolve });
        dispatch();
      });
    },
    close: terminateAll,
  };
}

/**
 * A type-aware runner for more than one thread. `scanThreads` worker threads run the engine without types over
 * `files` while this thread builds the one TypeScript program; once it is built, this thread takes files from the
 * same queue (a shared counter) and runs them through the type-aware engine, which reuses the program's parse.
 * Later, a file the scan cleared is answered without the engine, and one it did not clear goes to the type-aware
 * engine. A file is cleared when the scan found no site in it and it parsed: whether a file holds a site never
 * depends on types, and a type-aware engine answers such a file with no output and no sites, which is exactly what
 * this runner answers for it. Files not in `files`, or with other text, go to the type-aware engine.
 */
export async function createScreenedRunner(
  module: string,
  options: EngineOptions,
  scanThreads: number,
  files: readonly { readonly filePath: string; readonly source: string }[],
): Promise<TransformRunner> {
  // Every transform: a file the scan clears holds no site of any kind, so `transforms` cannot matter to it.
  const untyped: EngineOptions = { typeAware: false, preserveFailureCaching: options.preserveFailureCaching };
  const workerUrl = new URL('./scan-worker.js', import.meta.url);
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  /** Cleared files, with the text the scan saw. */
  const cleared = new Map<string, string>();
  const workers: Worker[] = [];
  const scans = Array.from(
    { length: Math.min(scanThreads, files.length) },
    () =>
      new Promise<void>((resolve) => {
        const data: ScanData = { engineModule: module, engineOptions: untyped, files, next };
        const worker = new Worker(workerUrl, { workerData: data });
        workers.push(worker);
        // A scan that fails in any way clears only the files it finished: the others go to the type-aware engine.
        worker.on('message', (message: ScanMessage) => {
          if (message.type === 'done') resolve();
          if (message.type !== 'file') return;
          const result = message.outcome.kind === 'result' ? message.outcome.result : undefined;
          const file = files[message.index];
          if (file !== undefined && result?.status === 'ok' && result.sites.length === 0 && result.output === undefined) {
            cleared.set(file.filePath, file.source);
          }
        });
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      }),
  );
  const stopScans = (): Promise<unknown> => Promise.all(workers.map((worker) => worker.terminate()));
  let typed: TransformRunner;
  try {
    typed = await createInProcessRunner({ module }, options);
  } catch (error) {
    await stopScans();
    throw error;
  }
  /** Files this thread took from the queue, with the text and the type-aware outcome. */
  const done = new Map<string, { readonly source: string; readonly outcome: TransformOutcome }>();
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    const file = files[index]!;
    done.set(file.filePath, { source: file.source, outcome: await typed.transform(file.filePath, file.source) });
  }
  await Promise.all(scans);
  await stopScans();
  return {
    parallelism: 1,
    transform(filePath, source, selection) {
      // A selection asks for a different answer than the one worked out ahead.
      if (selection !== undefined) return typed.transform(filePath, source, selection);
      const own = done.get(filePath);
      if (own !== undefined && own.source === source) return Promise.resolve(own.outcome);
      if (cleared.get(filePath) === source) {
        return Promise.resolve({ kind: 'result', result: { status: 'ok', output: undefined, sites: [] } });
      }
      return typed.transform(filePath, source);
    },
    close: () => typed.close(),
  };
}

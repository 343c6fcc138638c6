import type { EngineOptions, FileResult, SiteSelection } from '../engine/types.js';

/** What a transform worker is started with. Everything here must survive structured cloning. */
export interface WorkerData {
  readonly engineModule: string;
  readonly engineOptions: EngineOptions;
}

export interface TransformRequest {
  readonly id: number;
  readonly filePath: string;
  readonly source: string;
  readonly selection?: SiteSelection;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'load-error'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly result: FileResult }
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

/** What a scan worker is started with: the engine, every file it may look at, and the shared queue position. */
export interface ScanData extends WorkerData {
  readonly files: readonly { readonly filePath: string; readonly source: string }[];
  /** `next[0]` is the index of the next file nobody has taken; each thread takes one with `Atomics.add`. */
  readonly next: Int32Array;
}

export type ScanMessage =
  | { readonly type: 'load-error'; readonly message: string }
  | {
      readonly type: 'file';
      readonly index: number;
      readonly outcome: { readonly kind: 'result'; readonly result: FileResult } | { readonly kind: 'crash'; readonly message: string };
    }
  /** The queue is empty. */
  | { readonly type: 'done' };

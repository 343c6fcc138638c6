import type { EngineOptions, FileResult } from '../engine/types.js';

/** What a transform worker is started with. Everything here must survive structured cloning. */
export interface WorkerData {
  readonly engineModule: string;
  readonly engineOptions: EngineOptions;
}

export interface TransformRequest {
  readonly id: number;
  readonly filePath: string;
  readonly source: string;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'load-error'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly result: FileResult }
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

import type { Frame } from './reentrancy.js';

/**
 * State of a synchronous cell. Every state has the same two fields so the ready check stays monomorphic.
 * Invariant: `initializing` holds the frame of the one initializer running, which is on the synchronous stack.
 */
export type SyncState<T> =
  | { readonly k: 'empty'; readonly v: undefined }
  | { readonly k: 'initializing'; readonly v: Frame }
  | { readonly k: 'ready'; readonly v: T };

export const EMPTY: SyncState<never> = { k: 'empty', v: undefined };

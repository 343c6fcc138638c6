import { enter, reentered, type Frame } from './reentrancy.js';

/**
 * The state machine every type keeps in its private `#state`. Every state has the same two fields, so the ready
 * check reads one shape and stays monomorphic.
 * Invariants: `initializing` holds the run whose outcome the cell will keep (`I`: its frame, or a lock's attempt);
 * `failed` holds a cached error and exists only on locks created with `failure: 'cache'`.
 */
export type State<T, I = Frame> =
  | { readonly k: 'empty'; readonly v: undefined }
  | { readonly k: 'initializing'; readonly v: I }
  | { readonly k: 'ready'; readonly v: T }
  | { readonly k: 'failed'; readonly v: unknown };

/** The state of the synchronous cells, which never cache a failure. */
export type SyncState<T> = Exclude<State<T>, { readonly k: 'failed' }>;

/** The one empty state all cells share. */
export const EMPTY: { readonly k: 'empty'; readonly v: undefined } = { k: 'empty', v: undefined };

/**
 * The slow path of the synchronous cells: runs `f` as `frame` for a cell in state `s`, moving the cell (through
 * `set`) to `initializing`, then to `ready`, or back to empty when `f` throws. A cell that is already initializing
 * can only be reached from its own initializer: that fails before anything nested runs.
 */
export const initSync = <T>(s: SyncState<T>, frame: Frame, f: () => T, set: (s: SyncState<T>) => unknown): T => {
  if (s.k == 'initializing') throw reentered(s.v)!;
  set({ k: 'initializing', v: frame });
  try {
    const v = enter(frame, f);
    set({ k: 'ready', v });
    return v;
  } catch (error) {
    set(EMPTY);
    throw error;
  }
};

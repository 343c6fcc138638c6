export { OnceCell, type TryInsertResult } from './once-cell.js';
export { LazyCell } from './lazy-cell.js';
export { OnceLock } from './once-lock.js';
export { LazyLock } from './lazy-lock.js';
export { LazyInit, type InitResult } from './lazy-init.js';
export { ReentrantInitError } from './errors.js';
export { enableAsyncReentrancyDetection } from './reentrancy.js';
export type { AsyncInitializer } from './lock.js';
export type { CellOptions, InitState, LockOptions, LockState, SignalOptions } from './options.js';
// Type-only: brings the `Symbol.dispose` declarations along with ours, erased from the JavaScript.
export type {} from './disposable.js';

/**
 * The seam between the command-line driver (walking, workers, writing, reporting) and the rewrite engine
 * (analysis, planning, edits). The driver never looks inside a site; the engine never touches the file system
 * except to read the TypeScript project it was pointed at.
 */

/** Transform slugs: one per site kind of the codemod table; the same names as the jscodeshift modules. */
export type TransformSlug =
  | 'module-lazy-slot'
  | 'static-singleton'
  | 'instance-memo'
  | 'promise-cache'
  | 'async-init-race';

export interface EngineOptions {
  /** Only these transforms run; all of them when absent. */
  readonly transforms?: readonly TransformSlug[];
  /** Build a TypeScript program to name `T`, decide falsiness and follow exported slots. */
  readonly typeAware: boolean;
  /** The `tsconfig.json` the program is built from, when type-aware. */
  readonly tsconfigPath?: string;
  /** Promise caches keep caching their first failure (`{ failure: 'cache' }`) instead of retrying. */
  readonly preserveFailureCaching: boolean;
}

/** One lazy site the engine saw, rewritten or not. */
export interface SiteReport {
  /** 1-based line and column of the site's guard. */
  readonly line: number;
  readonly column: number;
  /** The slot as written in source, e.g. `instance`, `this.#client`, `Config.current`. */
  readonly slot: string;
  /** The transform that handles this kind of site. */
  readonly transform: TransformSlug;
  readonly outcome: 'rewritten' | 'skipped';
  /** Why it was skipped: a short stable code, e.g. `exported-live-binding`, `falsy-initializer`. */
  readonly reason?: string;
  /** A full sentence for people. For a rewritten site, any deliberate behaviour change it brings. */
  readonly message: string;
  /**
   * For a rewritten site whose behaviour deliberately changes, which change: `rejection-retried` (a promise cache no
   * longer keeps a rejection), `failure-cached` (it keeps it through `{ failure: 'cache' }`, as before),
   * `single-flight` (racing callers now share one initialization).
   */
  readonly change?: 'rejection-retried' | 'failure-cached' | 'single-flight';
}

export type FileResult =
  | {
      readonly status: 'ok';
      /** The new text, or `undefined` when nothing changed. */
      readonly output: string | undefined;
      readonly sites: readonly SiteReport[];
    }
  | {
      /** The file does not parse (or the engine could not process it); it must be left untouched. */
      readonly status: 'error';
      readonly message: string;
    };

/**
 * Which slots one `transform` call may rewrite: a slot is planned when one of its sites is listed here, by the `line`
 * and `column` its `SiteReport` gives; every other slot is reported skipped as `not-selected`. Used to review rewrites
 * one slot at a time: a call that selects one site shows that slot's rewrite alone.
 */
export interface SiteSelection {
  readonly sites: readonly { readonly line: number; readonly column: number }[];
}

export interface Engine {
  /** Without `selection`, every slot that can be rewritten is. */
  transform(filePath: string, source: string, selection?: SiteSelection): FileResult;
}

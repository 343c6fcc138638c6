/**
 * The programmatic API of `@lazy-init/codemod`: the same run as the command line, returning the report instead of
 * printing it.
 */
export {
  runCodemod,
  findTsconfig,
  type RunOptions,
  type ProgressEvent,
  type EngineSource,
  type ProposedRewrite,
  type ReviewRequest,
  type ReviewAnswer,
} from './driver/run.js';
export { TRANSFORM_SLUGS, isTransformSlug } from './driver/args.js';
export { DirtyWorkTreeError, EngineLoadError, PathNotFoundError, TsconfigNotFoundError } from './driver/errors.js';
export { formatTextReport } from './driver/format.js';
export { mayHoldLazySite } from './driver/files.js';
export type {
  CodemodReport,
  CodemodSummary,
  FileReport,
  FileStatus,
  FileSkipReason,
  FileFailureReason,
  ReportedSite,
  ReportedError,
} from './driver/report.js';
export type { CreateEngine } from './engine-loader.js';
export type { Engine, EngineOptions, FileResult, SiteReport, SiteSelection, TransformSlug } from './engine/types.js';

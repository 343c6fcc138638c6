/**
 * The jscodeshift face of the engine: each transform module (`@lazy-init/codemod/transforms/<slug>`) runs the same
 * engine restricted to its transform. The shapes below are the parts of jscodeshift's `FileInfo`, `API` and `Options`
 * the modules use, so that the package needs no jscodeshift types at run time.
 */
import { createEngine } from './index.js';
import type { Engine, TransformSlug } from './types.js';

export interface JscodeshiftFile {
  readonly path: string;
  readonly source: string;
}

export interface JscodeshiftApi {
  /** Prints a message in the runner's report. */
  readonly report?: (message: string) => void;
  /** Counts a named event in the runner's statistics (`--dry --verbose`). */
  readonly stats?: (name: string, quantity?: number) => void;
}

/**
 * Options as the runner passes them (its command-line flags, camel-cased or not):
 * `typeAware`, `tsconfig` (or `tsconfigPath`), `preserveFailureCaching`.
 */
export type JscodeshiftOptions = Readonly<Record<string, unknown>>;

export type JscodeshiftTransform = (file: JscodeshiftFile, api: JscodeshiftApi, options: JscodeshiftOptions) => string | undefined;

const flag = (options: JscodeshiftOptions, camel: string, kebab: string): boolean => {
  const value = options[camel] ?? options[kebab];
  return value === true || value === 'true';
};

const engines = new Map<string, Engine>();

const engineFor = (slug: TransformSlug, options: JscodeshiftOptions): Engine => {
  const tsconfig = options['tsconfigPath'] ?? options['tsconfig'];
  const typeAware = flag(options, 'typeAware', 'type-aware') && typeof tsconfig === 'string';
  const preserveFailureCaching = flag(options, 'preserveFailureCaching', 'preserve-failure-caching');
  const key = JSON.stringify([slug, typeAware ? tsconfig : null, preserveFailureCaching]);
  let engine = engines.get(key);
  if (engine === undefined) {
    engine = createEngine({
      transforms: [slug],
      typeAware,
      ...(typeAware ? { tsconfigPath: tsconfig as string } : {}),
      preserveFailureCaching,
    });
    engines.set(key, engine);
  }
  return engine;
};

/** A jscodeshift transform running the engine with only `slug` enabled. */
export const createJscodeshiftTransform = (slug: TransformSlug): JscodeshiftTransform => (file, api, options) => {
  if (typeof file?.source !== 'string' || typeof file.path !== 'string') {
    throw new TypeError('A jscodeshift transform needs `file.path` and `file.source`.');
  }
  const result = engineFor(slug, options ?? {}).transform(file.path, file.source);
  if (result.status === 'error') throw new Error(result.message);
  for (const site of result.sites) {
    api?.stats?.(site.outcome === 'rewritten' ? `${slug}: rewritten` : `${slug}: skipped (${site.reason ?? 'unknown'})`);
    if (site.outcome === 'skipped') api?.report?.(`${file.path}:${site.line}:${site.column} ${site.message}`);
  }
  return result.output;
};

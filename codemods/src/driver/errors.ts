/**
 * State errors of a codemod run. Each one means nothing was processed and nothing was written; the command line
 * maps all of them to exit code 2. Bad arguments to the programmatic API are `TypeError`s instead.
 */

/** A path given to the codemod does not exist. */
export class PathNotFoundError extends Error {
  override readonly name = 'PathNotFoundError';
  readonly path: string;

  constructor(path: string) {
    super(`The path \`${path}\` does not exist.`);
    this.path = path;
  }
}

/** Some files the codemod would rewrite have uncommitted changes in their git work tree. */
export class DirtyWorkTreeError extends Error {
  override readonly name = 'DirtyWorkTreeError';
  /** The dirty target files, relative to the working directory, sorted. */
  readonly files: readonly string[];

  constructor(files: readonly string[]) {
    const shown = files.slice(0, 20).map((file) => `  ${file}`);
    if (files.length > shown.length) shown.push(`  ... and ${files.length - shown.length} more`);
    super(
      `Refusing to rewrite files with uncommitted changes (${files.length}):\n${shown.join('\n')}\n` +
        'Commit or stash them first, preview with `--dry-run`, or pass `--allow-dirty` to write anyway.',
    );
    this.files = files;
  }
}

/** Type-aware mode was asked for, but there is no `tsconfig.json` to build the program from. */
export class TsconfigNotFoundError extends Error {
  override readonly name = 'TsconfigNotFoundError';

  constructor(startPath: string) {
    super(
      `Type-aware mode needs a \`tsconfig.json\`, and none was found at or above \`${startPath}\`. ` +
        'Pass `--no-type-aware` to run without types.',
    );
  }
}

/** The rewrite engine module could not be loaded, or does not export `createEngine`. */
export class EngineLoadError extends Error {
  override readonly name = 'EngineLoadError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

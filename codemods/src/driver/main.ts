import { readFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { parseCliArgs, USAGE, UsageError, type CliRunArgs } from './args.js';
import { DirtyWorkTreeError, EngineLoadError, PathNotFoundError, TsconfigNotFoundError } from './errors.js';
import type { EngineSource, RunOptions } from './run.js';

/** Exit codes of the command line. */
export const EXIT = {
  /** Every file was processed (sites may have been skipped; that is reported, not an error). */
  done: 0,
  /** Some files failed (unreadable, unparsable, changed on disk, or not writable), or the HTML report could not be written. */
  someFilesFailed: 1,
  /** Nothing was done: bad usage, a missing path, uncommitted changes, no engine or no tsconfig. */
  refused: 2,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
} as const;

export interface CliIo {
  /** Read by `--interactive` only; the default is the process's own. */
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly cwd: string;
  /** Receives the SIGINT handler; the default is the real process. */
  readonly process: Pick<NodeJS.Process, 'on' | 'off'>;
}

export interface CliOverrides {
  /** Run this engine instead of the packaged one. */
  readonly engine?: EngineSource;
  /** Aborted when an interrupt arrived before `main` could listen for one (while the command line was loading). */
  readonly interrupted?: AbortSignal;
}

/** What `--json` prints when a run is refused or fails: one document, like a report. */
export interface JsonErrorDocument {
  readonly error: {
    /** `usage`, or the name of the refusal (`DirtyWorkTreeError`, `PathNotFoundError`, ...), or `InternalError`. */
    readonly kind: string;
    readonly message: string;
    /** For `DirtyWorkTreeError`: the dirty files, relative to the working directory. */
    readonly files?: readonly string[];
  };
  readonly exitCode: number;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * The command line, minus the process: returns the exit code instead of exiting. A first SIGINT stops scheduling
 * files, lets writes under way finish and prints what was done; a second one exits at once (each write is an
 * atomic rename, so even then every file holds either its old or its new text).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), process },
  overrides: CliOverrides = {},
): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: that is its choice, not a failure of the run.
  const ignoreClosedPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  io.stdout.on('error', ignoreClosedPipe);
  io.stderr.on('error', ignoreClosedPipe);
  const write = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
    new Promise((resolve) => {
      if (text === '') resolve();
      else stream.write(text, () => resolve());
    });

  // Listen for Ctrl-C before anything else, so that an interrupt at any point still ends with a report.
  const controller = new AbortController();
  let interrupts = 0;
  let onInterrupt = (): void => {};
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    onInterrupt();
    controller.abort();
  };
  io.process.on('SIGINT', onSignal);
  // Only an interrupt from before this point counts: from here on this listener hears every one itself.
  if (overrides.interrupted?.aborted) onSignal();
  try {
    return await runMain(argv, io, overrides, controller, write, (handler) => (onInterrupt = handler));
  } finally {
    io.process.off('SIGINT', onSignal);
  }
}

/** `--json` anywhere before a `--` terminator, read without parsing, so that even a usage error answers in JSON. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

async function runMain(
  argv: readonly string[],
  io: CliIo,
  overrides: CliOverrides,
  controller: AbortController,
  write: (stream: NodeJS.WriteStream, text: string) => Promise<void>,
  setOnInterrupt: (handler: () => void) => void,
): Promise<number> {
  const json = wantsJson(argv);
  const fail = async (kind: string, message: string, exitCode: number, extra: { files?: readonly string[] } = {}): Promise<number> => {
    const document: JsonErrorDocument = { error: { kind, message, ...extra }, exitCode };
    await write(io.stdout, `${JSON.stringify(document, null, 2)}\n`);
    return exitCode;
  };

  let args: CliRunArgs;
  try {
    const command = parseCliArgs(argv);
    if (command.kind === 'help') {
      await write(io.stdout, USAGE);
      return EXIT.done;
    }
    if (command.kind === 'version') {
      await write(io.stdout, `${version()}\n`);
      return EXIT.done;
    }
    if (command.kind === 'merge-reports') {
      const { mergeReportFiles } = await import('./merge.js');
      const merged = await mergeReportFiles(command.reports);
      if (merged.kind === 'error') {
        if (json) return fail('usage', merged.message, EXIT.refused);
        await write(io.stderr, `Error: ${merged.message}\n`);
        return EXIT.refused;
      }
      if (command.json) {
        await write(io.stdout, `${JSON.stringify(merged.report, null, 2)}\n`);
      } else {
        const { formatSummary } = await import('./format.js');
        const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
        await write(io.stdout, formatSummary(merged.report, pc.createColors(pc.isColorSupported && (io.stdout.isTTY === true || forced))));
      }
      return merged.report.summary.filesFailed > 0 ? EXIT.someFilesFailed : EXIT.done;
    }
    args = command;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (json) return fail('usage', error.message, EXIT.refused);
    await write(io.stderr, `Error: ${error.message}\n\n${USAGE}`);
    return EXIT.refused;
  }

  const stdin = io.stdin ?? process.stdin;
  if (args.interactive && !(stdin.isTTY === true && io.stdout.isTTY === true)) {
    await write(io.stderr, `Error: Option \`--interactive\` needs a terminal on stdin and stdout.\n\n${USAGE}`);
    return EXIT.refused;
  }

  // Loaded only for a real run, so that `--help`, `--version` and usage errors answer at once.
  const [{ runCodemod }, { formatTextReport }, { createProgress }] = await Promise.all([
    import('./run.js'),
    import('./format.js'),
    import('./progress.js'),
  ]);
  // picocolors already honours NO_COLOR and FORCE_COLOR; the streams may not be the process's own, so ask them too.
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  const colors = pc.createColors(pc.isColorSupported && !args.json && (io.stdout.isTTY === true || forced));
  const errorColors = pc.createColors(pc.isColorSupported && (io.stderr.isTTY === true || forced));
  // The review owns the terminal: a progress bar would draw over its questions.
  const progress = createProgress(io.stderr, !args.json && !args.interactive);
  const onInterrupt = (): void => {
    progress.stop();
    io.stderr.write(errorColors.yellow('Interrupted: finishing the writes under way. Press Ctrl-C again to quit now.\n'));
  };
  setOnInterrupt(onInterrupt);
  if (controller.signal.aborted) onInterrupt();

  // Ctrl-C at a question arrives as a keypress in raw mode, not as SIGINT: it interrupts the run the same way.
  const review = args.interactive
    ? (await import('./interactive.js')).createTerminalReviewer({
        input: stdin,
        output: io.stdout,
        colors,
        signal: controller.signal,
        onCancel: () => {
          onInterrupt();
          controller.abort();
        },
      })
    : undefined;
  const options: RunOptions = {
    cwd: io.cwd,
    paths: args.paths,
    dryRun: args.dryRun,
    preserveFailureCaching: args.preserveFailureCaching,
    allowDirty: args.allowDirty,
    include: args.include,
    exclude: args.exclude,
    cpus: args.cpus,
    addDependency: args.addDependency,
    ...(args.shard ? { shard: args.shard } : {}),
    ...(args.report !== undefined ? { diffs: true } : {}),
    signal: controller.signal,
    onProgress: (event) => (event.type === 'start' ? progress.start(event.total) : progress.tick(event.path)),
    ...(args.transforms ? { transforms: args.transforms } : {}),
    ...(args.typeAware !== undefined ? { typeAware: args.typeAware } : {}),
    ...(overrides.engine ? { engine: overrides.engine } : {}),
    ...(review ? { review } : {}),
  };

  try {
    const report = await runCodemod(options);
    progress.stop();
    let reportFailed = false;
    if (args.report !== undefined) {
      const { renderHtmlReport } = await import('./html.js');
      const { writeFile } = await import('node:fs/promises');
      try {
        await writeFile(path.resolve(io.cwd, args.report), renderHtmlReport(report));
      } catch (error) {
        reportFailed = true;
        await write(io.stderr, `${errorColors.red('Error:')} The HTML report could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    await write(io.stdout, args.json ? `${JSON.stringify(report, null, 2)}\n` : formatTextReport(report, colors));
    if (report.summary.interrupted) return EXIT.interrupted;
    return report.summary.filesFailed > 0 || reportFailed ? EXIT.someFilesFailed : EXIT.done;
  } catch (error) {
    progress.stop();
    if (
      error instanceof PathNotFoundError ||
      error instanceof DirtyWorkTreeError ||
      error instanceof TsconfigNotFoundError ||
      error instanceof EngineLoadError
    ) {
      if (args.json) {
        return fail(error.name, error.message, EXIT.refused, error instanceof DirtyWorkTreeError ? { files: error.files } : {});
      }
      const usage = error instanceof PathNotFoundError ? `\n${USAGE}` : '';
      await write(io.stderr, `${errorColors.red('Error:')} ${error.message}\n${usage}`);
      return EXIT.refused;
    }
    if (args.json) {
      await write(io.stderr, `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return fail('InternalError', error instanceof Error ? error.message : String(error), EXIT.someFilesFailed);
    }
    throw error;
  }
}

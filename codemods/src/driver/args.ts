import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { TransformSlug } from '../engine/types.js';

/** Every transform, in the order of the codemod table. */
export const TRANSFORM_SLUGS = [
  'module-lazy-slot',
  'static-singleton',
  'instance-memo',
  'promise-cache',
  'async-init-race',
] as const satisfies readonly TransformSlug[];

// Fails to compile when a slug is added to `TransformSlug` but not to the list above.
type MissingSlug = Exclude<TransformSlug, (typeof TRANSFORM_SLUGS)[number]>;
const everySlugListed: [MissingSlug] extends [never] ? true : MissingSlug = true;
void everySlugListed;

export function isTransformSlug(value: string): value is TransformSlug {
  return (TRANSFORM_SLUGS as readonly string[]).includes(value);
}

/** The command line was misused; the message says how, and the usage follows it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliRunArgs {
  readonly paths: readonly string[];
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly transforms: readonly TransformSlug[] | undefined;
  /** `undefined`: decide from the presence of a `tsconfig.json`. */
  readonly typeAware: boolean | undefined;
  readonly preserveFailureCaching: boolean;
  readonly allowDirty: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly cpus: number;
  readonly addDependency: boolean;
  /** `--shard <i>/<n>`: 1-based index and count. */
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  /** `--report <file.html>`. */
  readonly report: string | undefined;
  /** `--interactive`: ask before each rewrite. */
  readonly interactive: boolean;
}

export interface CliMergeArgs {
  readonly reports: readonly string[];
  readonly json: boolean;
}

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | ({ readonly kind: 'run' } & CliRunArgs)
  | ({ readonly kind: 'merge-reports' } & CliMergeArgs);

export function defaultCpus(): number {
  return Math.max(1, availableParallelism() - 1);
}

export const USAGE = `Usage: lazy-init-codemod [options] [paths...]
       lazy-init-codemod merge-reports [--json] <report.json>...

Rewrites hand-rolled lazy initialization to @lazy-init/runtime and reports every site it
found, rewritten or skipped with its reason. Paths default to \`.\`. Directories are walked
(inside a git work tree: the files git tracks or would track; elsewhere: honouring
.gitignore; always skipping node_modules, tsconfig output folders and .d.ts files); files are taken
as given.

Options:
  --dry-run                    print unified diffs of the changes, write nothing
  --interactive                show each rewrite's diff and ask: y write it, n skip it, a write
                               it and the rest of the file, q write what was accepted and stop
                               (needs a terminal; declined sites are reported \`not-selected\`)
  --json                       print one JSON report on stdout and nothing else
  --transform <slug,...>       run only these transforms (repeatable):
                               ${TRANSFORM_SLUGS.join(', ')}
  --type-aware                 use the TypeScript program of the nearest tsconfig.json
                               (the default when one is found at or above the first path)
  --no-type-aware              never build a TypeScript program
  --preserve-failure-caching   migrated promise caches keep caching their first failure
                               ({ failure: 'cache' }) instead of retrying
  --allow-dirty                write even over files with uncommitted git changes
  --include <glob>             only files matching the glob (repeatable)
  --exclude <glob>             skip files matching the glob (repeatable)
  --cpus <n>                   worker threads (default: cores - 1, at least 1; 1 = in process)
  --no-add-dependency          do not add @lazy-init/runtime to the nearest package.json of a
                               file that now imports it (by default it is added when missing)
  --report <file.html>         also write the report as one self-contained HTML page: a chart
                               of outcomes and skip reasons, a filterable table of every site
                               with its diff
  --shard <i>/<n>              process only shard i of n (1 <= i <= n): files are split by a
                               stable hash of their path from the top of the git work tree
                               (or the working directory), so n CI jobs cover every file once
  -h, --help                   show this help
  -v, --version                show the version

merge-reports reads --json reports of the shards of one run and prints the merged report
(the summary as text, or with --json the whole report as one JSON document).

Exit codes: 0 done, 1 some files failed, 2 usage error or refused to run, 130 interrupted.
`;

/** Parses the arguments after `node cli.js`. Throws `UsageError` on misuse. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  if (argv[0] === 'merge-reports') return parseMergeArgs(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        transform: { type: 'string', multiple: true },
        'type-aware': { type: 'boolean' },
        'no-type-aware': { type: 'boolean' },
        'preserve-failure-caching': { type: 'boolean' },
        'allow-dirty': { type: 'boolean' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        cpus: { type: 'string' },
        'no-add-dependency': { type: 'boolean' },
        shard: { type: 'string' },
        report: { type: 'string' },
        interactive: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // parseArgs reports misuse with `ERR_PARSE_ARGS_*` codes; its messages already name the option.
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  if (values['type-aware'] && values['no-type-aware']) {
    throw new UsageError('Options `--type-aware` and `--no-type-aware` cannot be used together.');
  }

  let transforms: TransformSlug[] | undefined;
  if (values.transform) {
    transforms = [];
    for (const slug of values.transform.flatMap((list) => list.split(',')).map((s) => s.trim())) {
      if (!isTransformSlug(slug)) {
        throw new UsageError(
          `Unknown transform \`${slug}\` in \`--transform\`. Known transforms: ${TRANSFORM_SLUGS.map((s) => `\`${s}\``).join(', ')}.`,
        );
      }
      if (!transforms.includes(slug)) transforms.push(slug);
    }
  }

  let cpus = defaultCpus();
  if (values.cpus !== undefined) {
    if (!/^[1-9][0-9]*$/.test(values.cpus)) {
      throw new UsageError(`Option \`--cpus\` takes a whole number of at least 1, not \`${values.cpus}\`.`);
    }
    cpus = Number(values.cpus);
  }

  for (const [flag, globs] of [
    ['--include', values.include],
    ['--exclude', values.exclude],
  ] as const) {
    if (globs?.some((glob) => glob.trim() === '')) throw new UsageError(`Option \`${flag}\` takes a non-empty glob.`);
  }
  if (positionals.some((path) => path === '')) throw new UsageError('An empty string is not a path.');
  if (values.report !== undefined && values.report.trim() === '') throw new UsageError('Option `--report` takes a file name, such as `report.html`.');

  if (values.interactive && values['dry-run']) {
    throw new UsageError('Options `--interactive` and `--dry-run` cannot be used together: the review already shows each diff.');
  }
  if (values.interactive && values.json) {
    throw new UsageError('Options `--interactive` and `--json` cannot be used together: the review needs the terminal.');
  }

  let shard: CliRunArgs['shard'];
  if (values.shard !== undefined) {
    const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(values.shard);
    if (!match || Number(match[1]) > Number(match[2])) {
      throw new UsageError(`Option \`--shard\` takes \`<i>/<n>\` with 1 <= i <= n, such as \`2/4\`, not \`${values.shard}\`.`);
    }
    shard = { index: Number(match[1]), count: Number(match[2]) };
  }

  return {
    kind: 'run',
    paths: positionals.length > 0 ? positionals : ['.'],
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
    transforms,
    typeAware: values['type-aware'] ? true : values['no-type-aware'] ? false : undefined,
    preserveFailureCaching: values['preserve-failure-caching'] ?? false,
    allowDirty: values['allow-dirty'] ?? false,
    include: values.include ?? [],
    exclude: values.exclude ?? [],
    cpus,
    addDependency: !(values['no-add-dependency'] ?? false),
    shard,
    report: values.report,
    interactive: values.interactive ?? false,
  };
}

function parseMergeArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  if (parsed.values.help) return { kind: 'help' };
  if (parsed.positionals.length === 0) throw new UsageError('`merge-reports` takes the JSON reports to merge.');
  return { kind: 'merge-reports', reports: parsed.positionals, json: parsed.values.json ?? false };
}

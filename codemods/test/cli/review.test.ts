/**
 * The review of `runCodemod({ review })`, which `--interactive` puts in front of people: each slot's rewrite is offered
 * alone, only the accepted ones are written, declined sites are reported `not-selected`, and stopping ends the run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { oneSlot, readIn, reviewProject, TWO_SLOTS } from '../review-project.js';
import { BUILD_TIMEOUT, ensureBuilt, markerEngine, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
type ReviewRequest = import('../../dist/index.js').ReviewRequest;
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);


describe.each([1, 2])('review (cpus %i)', (cpus) => {
  it('offers each slot alone, writes only what was accepted, and stops when asked', async () => {
    const cwd = reviewProject();
    const asked: ReviewRequest[] = [];
    const report = await api.runCodemod({
      cwd,
      cpus,
      typeAware: false,
      addDependency: false,
      review: async (request) => {
        asked.push(request);
        // a.ts: the second rewrite only; b.ts: everything, then stop.
        return request.path === 'src/a.ts' ? { accepted: [1], stop: false } : { accepted: [0], stop: true };
      },
    });

    expect(asked.map((request) => request.path)).toEqual(['src/a.ts', 'src/b.ts']);
    const [first, second] = asked[0]!.rewrites;
    expect(first!.sites.map((site) => site.slot)).toEqual(['db']);
    expect(first!.diff).toContain('+const db = new LazyCell<Db>(() => new Db());');
    expect(first!.diff).not.toContain('+const cache');
    expect(second!.sites.map((site) => site.slot)).toEqual(['cache']);
    expect(second!.diff).not.toContain('+const db');

    const a = readIn(cwd, 'src/a.ts');
    expect(a).toContain('let db: Db | undefined;');
    expect(a).toContain('const cache = new LazyCell<Cache>(() => new Cache());');
    expect(readIn(cwd, 'src/b.ts')).toContain('const pool = new LazyCell<Pool>(() => new Pool());');
    expect(readIn(cwd, 'src/c.ts')).toBe(oneSlot('conn'));

    expect(report.sites.map(({ file, slot, outcome, reason }) => [file, slot, outcome, reason])).toEqual([
      ['src/a.ts', 'db', 'skipped', 'not-selected'],
      ['src/a.ts', 'cache', 'rewritten', undefined],
      ['src/b.ts', 'pool', 'rewritten', undefined],
    ]);
    expect(report.summary).toMatchObject({ filesFound: 3, filesScanned: 2, stoppedAtReview: true, interrupted: false });
    expect(api.formatTextReport(report, plain)).toContain('Stopped at review: 1 of 3 files were not offered.');
  });

  it('leaves a file untouched when every rewrite is declined', async () => {
    const cwd = reviewProject();
    const report = await api.runCodemod({ cwd, cpus, typeAware: false, addDependency: false, review: async () => ({ accepted: [], stop: false }) });
    for (const file of ['src/a.ts', 'src/b.ts']) expect(report.files.find((each) => each.path === file)?.status).toBe('unchanged');
    expect(readIn(cwd, 'src/a.ts')).toBe(TWO_SLOTS);
    expect(report.summary).toMatchObject({ filesScanned: 3, sitesRewritten: 0, sitesSkippedByReason: { 'not-selected': 4 }, stoppedAtReview: false });
  });

  it('abandons the file under review when interrupted there, and reports the run interrupted', async () => {
    const cwd = reviewProject();
    const controller = new AbortController();
    const report = await api.runCodemod({
      cwd,
      cpus,
      typeAware: false,
      addDependency: false,
      signal: controller.signal,
      review: async (request) => {
        if (request.path === 'src/b.ts') controller.abort();
        return { accepted: request.rewrites.map((_, index) => index), stop: false };
      },
    });
    expect(readIn(cwd, 'src/a.ts')).toContain('const db = new LazyCell');
    expect(readIn(cwd, 'src/b.ts')).toBe(oneSlot('pool'));
    expect(report.summary).toMatchObject({ filesScanned: 1, interrupted: true });
  });
});

describe('review, against an engine that ignores the selection', () => {
  it('writes nothing that was declined, and reports the file failed', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let one = lazy();\nlet two = lazy();\n' });
    const offered: string[] = [];
    const report = await api.runCodemod({
      cwd,
      cpus: 1,
      typeAware: false,
      engine: { module: markerEngine },
      review: async (request) => {
        // The engine rewrites both slots even when asked for one: the offer shows both, in one diff.
        offered.push(...request.rewrites.map((rewrite) => rewrite.sites.map((site) => site.slot).join(' ')));
        return { accepted: [], stop: false };
      },
    });
    expect(offered).toEqual(['one two']);
    expect(readIn(cwd, 'a.ts')).toBe('let one = lazy();\nlet two = lazy();\n');
    expect(report.errors).toEqual([{ file: 'a.ts', reason: 'engine-crash', message: expect.stringContaining('not accepted at review') }]);
  });

  it('is refused with a dry run', async () => {
    await expect(api.runCodemod({ cwd: tempDir(), dryRun: true, review: async () => ({ accepted: [], stop: false }) })).rejects.toThrow(
      'Options `review` and `dryRun` cannot be used together.',
    );
  });
});

const identity = (text: string): string => text;
const plain = new Proxy({} as Parameters<Api['formatTextReport']>[1], { get: () => identity });

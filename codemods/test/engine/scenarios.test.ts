/**
 * The engine over every shared scenario (`fixtures/scenarios/*`): where the scenario has an `output.*`, the engine
 * produces it exactly, the result parses, type-checks no worse than the input and a second run changes nothing; where
 * it has a `codemod.json`, the report lists exactly those sites with those outcomes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { EngineOptions, SiteReport } from '../../src/engine/types.js';
import { newTypeErrors, parses, repoRoot, SCENARIO_GLOBALS, tempProject, tempTsconfig } from './helpers.js';

const scenariosDir = path.join(repoRoot, 'fixtures/scenarios');

interface ExpectedSite {
  readonly slot: string;
  readonly transform: string;
  readonly outcome: 'rewritten' | 'skipped';
  readonly reason?: string;
  readonly change?: string;
}

interface CodemodExpectation {
  readonly options?: { readonly typeAware?: boolean; readonly preserveFailureCaching?: boolean };
  readonly sites: readonly ExpectedSite[];
}

const scenarios = readdirSync(scenariosDir)
  .filter((name) => statSync(path.join(scenariosDir, name)).isDirectory())
  .sort();

const fileStartingWith = (dir: string, prefix: string): string | undefined =>
  readdirSync(dir).find((name) => name.startsWith(prefix));

const summary = (site: SiteReport): ExpectedSite => ({
  slot: site.slot,
  transform: site.transform,
  outcome: site.outcome,
  ...(site.reason !== undefined ? { reason: site.reason } : {}),
  ...(site.change !== undefined ? { change: site.change } : {}),
});

/** Runs the engine on the scenario's input, type-aware in a temporary project when the expectation asks for it. */
const runScenario = (inputPath: string, expectation: CodemodExpectation | undefined) => {
  const source = readFileSync(inputPath, 'utf8');
  const options: EngineOptions = {
    typeAware: false,
    preserveFailureCaching: expectation?.options?.preserveFailureCaching ?? false,
  };
  if (!expectation?.options?.typeAware) {
    const engine = createEngine(options);
    return { source, engine, result: engine.transform(inputPath, source), cleanup: () => undefined };
  }
  const project = tempProject({ 'tsconfig.json': tempTsconfig([inputPath]) });
  const engine = createEngine({ ...options, typeAware: true, tsconfigPath: path.join(project.dir, 'tsconfig.json') });
  return { source, engine, result: engine.transform(inputPath, source), cleanup: project.cleanup };
};

describe('engine scenarios', () => {
  it('finds the scenarios by listing their folders', () => {
    expect(scenarios.length).toBeGreaterThan(10);
  });

  for (const name of scenarios) {
    const dir = path.join(scenariosDir, name);
    const inputName = fileStartingWith(dir, 'input.');
    const outputName = fileStartingWith(dir, 'output.');
    const codemodPath = path.join(dir, 'codemod.json');
    if (inputName === undefined) continue;
    const inputPath = path.join(dir, inputName);
    const expectation = existsSync(codemodPath)
      ? (JSON.parse(readFileSync(codemodPath, 'utf8')) as CodemodExpectation)
      : undefined;

    describe(name, () => {
      it('has an expected outcome: an output, a codemod report, or both', () => {
        expect(outputName !== undefined || expectation !== undefined).toBe(true);
      });

      if (outputName !== undefined) {
        it(`rewrites to ${outputName}, which parses, type-checks and is stable`, () => {
          const { source, engine, result, cleanup } = runScenario(inputPath, expectation);
          try {
            expect(result.status).toBe('ok');
            if (result.status !== 'ok') return;
            const expected = readFileSync(path.join(dir, outputName), 'utf8');
            expect(result.output).toBe(expected);
            expect(parses(inputPath, expected)).toBe(true);
            expect(newTypeErrors(inputPath, source, expected, SCENARIO_GLOBALS)).toEqual([]);
            const second = engine.transform(inputPath, expected);
            expect(second.status).toBe('ok');
            if (second.status === 'ok') {
              expect(second.output).toBeUndefined();
              expect(second.sites.filter((site) => site.outcome === 'rewritten')).toEqual([]);
            }
          } finally {
            cleanup();
          }
        });
      }

      if (expectation !== undefined) {
        it('reports the expected sites', () => {
          const { result, cleanup } = runScenario(inputPath, expectation);
          try {
            expect(result.status).toBe('ok');
            if (result.status !== 'ok') return;
            expect(result.sites.map(summary)).toEqual(expectation.sites);
            for (const site of result.sites) expect(site.message).toMatch(/^[A-Z].*\.$/);
            if (outputName === undefined) expect(result.output).toBeUndefined();
          } finally {
            cleanup();
          }
        });
      }
    });
  }
});

describe('the type check used above', () => {
  it('reports an error the output introduces', () => {
    const file = path.join(scenariosDir, 'module-let-getter', 'input.ts');
    const input = 'let db: number | undefined;\nexport function getDb(): number {\n  db ??= 1;\n  return db;\n}\n';
    const broken = "import { OnceCell } from '@lazy-init/runtime';\nconst db = new OnceCell<string>();\nexport function getDb(): number {\n  return db.getOrInit(() => 'x');\n}\n";
    const fine = "import { OnceCell } from '@lazy-init/runtime';\nconst db = new OnceCell<number>();\nexport function getDb(): number {\n  return db.getOrInit(() => 1);\n}\n";
    expect(newTypeErrors(file, input, broken)).not.toEqual([]);
    expect(newTypeErrors(file, input, fine)).toEqual([]);
  });
});

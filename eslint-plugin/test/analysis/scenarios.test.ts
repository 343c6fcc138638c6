import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/analysis/index.js';
import { loadScenarios } from './scenarios.js';

const scenarios = loadScenarios();

describe('fixtures/scenarios: analysis', () => {
  it('finds scenarios by listing folders', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    for (const scenario of scenarios) {
      expect(scenario.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(scenario.description.length).toBeGreaterThan(0);
    }
  });

  for (const scenario of scenarios) {
    it(`${scenario.name}: ${scenario.description}`, () => {
      const { sites } = analyzeSource(scenario.input, { filePath: scenario.inputPath });
      expect(
        sites.map((site, index) => {
          const expected = scenario.sites[index];
          const flags = site.flags as unknown as Record<string, unknown>;
          return {
            slot: site.slot.name,
            slotKind: site.slot.kind,
            guard: site.guard.kind,
            initializer: site.initializer.kind,
            ...(expected?.accessor ? { accessor: site.accessor?.kind } : {}),
            ...(expected?.flags
              ? {
                  flags: Object.fromEntries(
                    Object.keys(expected.flags).map((name) => [name, name === 'pairedSlotKey' ? flags[name] !== undefined : flags[name]]),
                  ),
                }
              : {}),
            ...(expected?.shape
              ? { shape: Object.fromEntries(Object.keys(expected.shape).map((name) => [name, (site.shape as unknown as Record<string, unknown>)[name]])) }
              : {}),
          };
        }),
      ).toEqual(scenario.sites);
    });
  }
});

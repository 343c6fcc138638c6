/**
 * The shared scenarios under `fixtures/scenarios/`: one folder each, found by listing, with exactly one `input.<ext>`
 * and an `expect.json` that says what the analysis finds and what the rules report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const scenariosRoot = fileURLToPath(new URL('../../../fixtures/scenarios/', import.meta.url));

export interface ExpectedSite {
  readonly slot: string;
  readonly slotKind: string;
  readonly guard: string;
  readonly initializer: string;
  /** The accessor's kind, when the scenario pins it. */
  readonly accessor?: string;
  /** Flags the scenario pins; `pairedSlotKey` is compared as "has a partner". */
  readonly flags?: Readonly<Record<string, boolean>>;
  /** Fields of the site's shape the scenario pins (`store`, `slotPath`, `context`, `signals`). */
  readonly shape?: Readonly<Record<string, unknown>>;
}

export interface Scenario {
  readonly name: string;
  readonly inputPath: string;
  readonly input: string;
  readonly description: string;
  readonly reports: readonly { readonly rule: string; readonly line: number }[];
  readonly sites: readonly ExpectedSite[];
}

export function loadScenarios(): Scenario[] {
  return readdirSync(scenariosRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const folder = path.join(scenariosRoot, name);
      const inputs = readdirSync(folder).filter((file) => /^input\.[cm]?[jt]sx?$/.test(file));
      if (inputs.length !== 1) throw new Error(`Scenario \`${name}\` must have exactly one \`input.<ext>\`, found ${inputs.length}.`);
      const inputPath = path.join(folder, inputs[0]!);
      const expect = JSON.parse(readFileSync(path.join(folder, 'expect.json'), 'utf8')) as Omit<Scenario, 'name' | 'inputPath' | 'input'>;
      return { name, inputPath, input: readFileSync(inputPath, 'utf8'), description: expect.description, reports: expect.reports, sites: expect.sites };
    });
}

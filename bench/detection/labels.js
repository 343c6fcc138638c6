/**
 * The labels of the detection benchmark: `labels/<project>.json`, one file per project of `manifest.json`, each an
 * array of facts about one line of that project at its pinned commit (schema in `README.md`). `readLabels` checks
 * every entry against the schema and throws on the first one that does not fit, naming file and index, so a typo
 * in a kind or a trap never silently drops a label from the figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const labelsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'labels');

/** What a positive is, with the rule that must report it. */
export const KINDS = {
  'promise-cache': 'no-cached-rejection',
  'async-race': 'no-async-init-race',
  'static-singleton': 'prefer-lazy-primitive',
  'assign-slot': 'prefer-lazy-primitive',
  'module-accessor': 'prefer-lazy-primitive',
  'instance-memo': 'prefer-lazy-primitive',
  'once-flag': 'prefer-lazy-primitive',
  other: 'prefer-lazy-primitive',
};

/** Why a negative looks lazy and is not. The first ten are the near-misses DESIGN.md section 3 names. */
export const TRAPS = [
  'option-defaulting',
  'single-flight',
  'per-call-local',
  'accumulator',
  'boolean-or-assign',
  'event-once-flag',
  'throwing-getter',
  'ttl-cache',
  'react-ref',
  'string-text',
  'per-call-scratch',
  'external-deferred',
  'per-call-closure',
  'constructor-default',
  'timer-handle',
  'other',
];

const POSITIVE_FACTS = ['falsy', 'reset', 'shared'];

function check(label, where) {
  const fail = (reason) => {
    throw new TypeError(`${where}: ${reason} (${JSON.stringify(label)})`);
  };
  if (typeof label.path !== 'string' || label.path.startsWith('/') || label.path.includes('\\')) fail('`path` must be a relative path with forward slashes');
  if (!Number.isInteger(label.line) || label.line < 1) fail('`line` must be a positive integer');
  if (typeof label.slot !== 'string' || label.slot.length === 0) fail('`slot` must name the slot');
  if (label.label === 'positive') {
    if (!(label.kind in KINDS)) fail(`\`kind\` must be one of ${Object.keys(KINDS).join(', ')}`);
    for (const fact of POSITIVE_FACTS) if (typeof label[fact] !== 'boolean') fail(`a positive needs a boolean \`${fact}\``);
  } else if (label.label === 'negative') {
    if (!TRAPS.includes(label.trap)) fail(`\`trap\` must be one of ${TRAPS.join(', ')}`);
  } else {
    fail('`label` must be "positive" or "negative"');
  }
}

/** Every label of every project, each with its `project` (the labels file's name). */
export function readLabels() {
  const labels = [];
  for (const file of readdirSync(labelsDir).filter((name) => name.endsWith('.json')).sort()) {
    const project = file.slice(0, -'.json'.length);
    const entries = JSON.parse(readFileSync(path.join(labelsDir, file), 'utf8'));
    if (!Array.isArray(entries)) throw new TypeError(`labels/${file} must hold an array`);
    const seen = new Set();
    entries.forEach((label, index) => {
      const where = `labels/${file}[${index}]`;
      check(label, where);
      const key = `${label.path}:${label.line}`;
      if (seen.has(key)) throw new TypeError(`${where}: a second label on ${key}`);
      seen.add(key);
      labels.push({ project, ...label });
    });
  }
  return labels;
}

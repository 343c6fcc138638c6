/**
 * Keeps the repository's parallel lists in step: rule files, the plugin's rule index, rule docs, the README's rule
 * table, the configs, the shared fixtures, the codemod's transforms and their docs, and every package's manifest.
 * Everything is discovered by listing folders; nothing here keeps its own list of names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../eslint-plugin/src/index.js';
import { docsUrl } from '../eslint-plugin/src/utils/create-rule.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...segments: string[]): string => path.join(root, ...segments);
const readJson = <T = Record<string, unknown>>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const listDirs = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((entry) => statSync(path.join(dir, entry)).isDirectory()).sort() : [];
const sorted = (values: Iterable<string>): string[] => [...values].sort();

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const namespace = plugin.meta.namespace;
const ruleIds = sorted(Object.keys(plugin.rules));
type RuleId = keyof typeof plugin.rules;

/** The text of one `## ` section of the plugin README. */
const readmeSection = (heading: string): string =>
  new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(
    readFileSync(at('eslint-plugin/README.md'), 'utf8'),
  )?.[1] ?? '';

/** A message's first sentence: up to the first `.`, `?` or `!` that ends a sentence outside code spans. */
const firstSentence = (message: string): string => {
  let inCode = false;
  for (let index = 0; index < message.length; index++) {
    const char = message[index]!;
    if (char === '`') inCode = !inCode;
    else if (!inCode && /[.?!]/.test(char) && (index === message.length - 1 || message[index + 1] === ' ')) {
      return message.slice(0, index + 1);
    }
  }
  return message;
};

describe('rules', () => {
  it('has one rule file per rule id, and nothing else in src/rules', () => {
    const files = readdirSync(at('eslint-plugin/src/rules'))
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''));
    expect(sorted(files)).toEqual(ruleIds);
  });

  it('has one document per rule under docs/rules', () => {
    const docs = readdirSync(at('eslint-plugin/docs/rules')).map((file) => file.replace(/\.md$/, ''));
    expect(sorted(docs)).toEqual(ruleIds);
  });

  it.each(ruleIds)('the document of `%s` has the sections every rule document has', (id) => {
    const headings = readFileSync(at('eslint-plugin/docs/rules', `${id}.md`), 'utf8')
      .split('\n')
      .filter((line) => /^#{1,3} /.test(line));
    expect(headings[0]).toBe(`# ${id}`);
    for (const section of ['## Rule details', '### ❌ Incorrect', '### ✅ Correct', '## Options', '## When not to use it']) {
      expect(headings, `\`${id}.md\` has \`${section}\``).toContain(section);
    }
    const order = ['## Rule details', '## Options', '## When not to use it'].map((section) => headings.indexOf(section));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it.each(ruleIds)('`%s` is kebab-case and follows the rule anatomy', (id) => {
    expect(id).toMatch(KEBAB_CASE);
    const { meta, defaultOptions } = plugin.rules[id as RuleId];
    expect(meta.docs.url).toBe(docsUrl(id));
    expect(meta.docs.url.endsWith(`/eslint-plugin/docs/rules/${id}.md`)).toBe(true);
    expect(meta.docs.description).toMatch(/^[A-Z]\S*\s\S/);
    expect(typeof meta.docs.recommended).toBe('boolean');
    expect(typeof meta.docs.requiresTypeChecking).toBe('boolean');
    expect(['problem', 'suggestion', 'layout']).toContain(meta.type);
    expect(Array.isArray(meta.schema)).toBe(true);
    expect(Array.isArray(defaultOptions)).toBe(true);
    for (const option of meta.schema as { properties?: Record<string, { description?: string }> }[]) {
      for (const [name, property] of Object.entries(option.properties ?? {})) {
        expect(property.description, `option \`${name}\` of \`${id}\` has a description`).toMatch(/\S/);
      }
    }
    const messages = Object.entries(meta.messages);
    expect(messages.length).toBeGreaterThan(0);
    for (const [messageId, message] of messages) {
      expect(message, `message \`${messageId}\` of \`${id}\` is a full sentence`).toMatch(/^[A-Z`{].*[.?!]$/s);
      // The first sentence is what an editor shows on hover and a CI log on one line; details live in the rule doc.
      const opening = firstSentence(message);
      expect(opening.length, `the first sentence of \`${messageId}\` of \`${id}\`: ${opening}`).toBeLessThanOrEqual(100);
      expect(opening, `the first sentence of \`${messageId}\` of \`${id}\` names the slot`).toMatch(/\{\{(?:slot|cell)\}\}/);
    }
  });

  it('are listed in the plugin README, each linked to its document and described as in its meta', () => {
    const readme = readmeSection('Rules');
    const rows = new Map<string, string>();
    for (const line of readme.split('\n')) {
      const match = /^\|\s*\[`?([a-z0-9-]+)`?\]\(([^)]+)\)\s*\|(.*)\|\s*$/.exec(line);
      if (match) rows.set(match[1]!, `${match[2]}|${match[3]}`);
    }
    expect(sorted(rows.keys())).toEqual(ruleIds);
    for (const id of ruleIds) {
      const { meta } = plugin.rules[id as RuleId];
      // A table cell escapes its pipes (`\|`), code spans included.
      const [link, ...cells] = rows
        .get(id)!
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, '|'));
      expect(link).toBe(`docs/rules/${id}.md`);
      const [description, configs, fixes, typeAware] = cells;
      expect(description).toBe(meta.docs.description);
      const expectedConfigs = (Object.keys(plugin.configs) as (keyof typeof plugin.configs)[]).filter(
        (name) => plugin.configs[name].rules[`${namespace}/${id as RuleId}`] !== undefined,
      );
      expect(configs?.split(',').map((name) => name.trim().replace(/`/g, ''))).toEqual(expectedConfigs);
      expect(fixes?.includes('🔧'), `README says whether \`${id}\` autofixes`).toBe(meta.fixable !== undefined);
      expect(fixes?.includes('💡'), `README says whether \`${id}\` suggests`).toBe(meta.hasSuggestions === true);
      expect(typeAware?.includes('💭'), `README says whether \`${id}\` needs types`).toBe(meta.docs.requiresTypeChecking);
    }
  });
});

describe('configs', () => {
  const configured = (name: keyof typeof plugin.configs): string[] =>
    sorted(Object.keys(plugin.configs[name].rules).map((key) => key.replace(`${namespace}/`, '')));
  const withDocs = (filter: (docs: { recommended: boolean; requiresTypeChecking: boolean }) => boolean): string[] =>
    ruleIds.filter((id) => filter(plugin.rules[id as RuleId].meta.docs));

  it('are exactly recommended, recommended-type-checked and strict', () => {
    expect(sorted(Object.keys(plugin.configs))).toEqual(['recommended', 'recommended-type-checked', 'strict']);
  });

  it('each register the plugin under its namespace and name themselves', () => {
    for (const [name, config] of Object.entries(plugin.configs)) {
      expect(config.name).toBe(`${namespace}/${name}`);
      expect(config.plugins[namespace]).toBe(plugin);
      for (const entry of Object.values(config.rules)) expect(Array.isArray(entry) ? entry[0] : entry).toBe('error');
    }
  });

  it('recommended holds the recommended rules that need no type information', () => {
    expect(configured('recommended')).toEqual(withDocs((docs) => docs.recommended && !docs.requiresTypeChecking));
  });

  it('recommended-type-checked adds the recommended type-aware rules', () => {
    expect(configured('recommended-type-checked')).toEqual(withDocs((docs) => docs.recommended));
  });

  it('strict holds every rule', () => {
    expect(configured('strict')).toEqual(ruleIds);
  });

  const entryOf = (name: keyof typeof plugin.configs, id: string): unknown =>
    plugin.configs[name].rules[`${namespace}/${id as RuleId}`];

  it('strict is recommended-type-checked with stricter options, each accepted by its rule', () => {
    const stricter = ruleIds.filter((id) => Array.isArray(entryOf('strict', id)));
    expect(stricter.length).toBeGreaterThan(0);
    for (const id of ruleIds) {
      const entry = entryOf('strict', id);
      const base = entryOf('recommended-type-checked', id);
      expect(Array.isArray(entry) ? entry[0] : entry).toBe(Array.isArray(base) ? base[0] : base ?? 'error');
    }
    // A deeper search for cycles than the default is the stricter setting of `no-reentrant-init`.
    const [, options] = entryOf('strict', 'no-reentrant-init') as [string, { maxDepth: number }];
    expect(options.maxDepth).toBeGreaterThan((plugin.rules['no-reentrant-init'].defaultOptions[0] as { maxDepth: number }).maxDepth);
  });

  it('are described in one README table: a column per config, a row per rule, each cell the config\'s entry', () => {
    const lines = readmeSection('Configs').split('\n').filter((line) => line.startsWith('|'));
    const cells = (line: string): string[] => line.split('|').slice(1, -1).map((cell) => cell.trim());
    const header = cells(lines[0]!);
    const configNames = header.slice(2).map((cell) => cell.replace(/`/g, ''));
    expect(configNames).toEqual(Object.keys(plugin.configs));
    expect(lines.some((line) => cells(line)[0] === '*Purpose*' && cells(line).slice(2).every((cell) => /\w/.test(cell)))).toBe(true);
    const rows = lines.filter((line) => /^\|\s*\[/.test(line)).map(cells);
    expect(sorted(rows.map((row) => /^\[([a-z0-9-]+)\]/.exec(row[0]!)![1]!))).toEqual(ruleIds);
    for (const row of rows) {
      const id = /^\[([a-z0-9-]+)\]\(([^)]+)\)$/.exec(row[0]!)!;
      expect(id[2]).toBe(`docs/rules/${id[1]}.md`);
      expect(row[1]!.includes('💭'), `the config table says whether \`${id[1]}\` needs types`).toBe(
        plugin.rules[id[1] as RuleId].meta.docs.requiresTypeChecking,
      );
      configNames.forEach((name, index) => {
        const entry = entryOf(name as keyof typeof plugin.configs, id[1]!);
        const expected =
          entry === undefined
            ? '—'
            : Array.isArray(entry)
              ? `\`${entry[0]}\` with ${entry.slice(1).map((option) => `\`${JSON.stringify(option)}\``).join(', ')}`
              : `\`${entry as string}\``;
        expect(row[index + 2], `\`${id[1]}\` in \`${name}\``).toBe(expected);
      });
    }
  });

  it('keeps type-aware rules out of the config that runs without type information', () => {
    const typeAware = withDocs((docs) => docs.requiresTypeChecking);
    expect(configured('recommended').filter((id) => typeAware.includes(id))).toEqual([]);
  });

  it('the plugin names itself after its package', () => {
    const manifest = readJson<{ name: string; version: string }>(at('eslint-plugin/package.json'));
    expect(plugin.meta).toEqual({ name: manifest.name, version: manifest.version, namespace: 'lazy-init' });
  });
});

describe('fixtures', () => {
  const scenariosDir = at('fixtures/scenarios');
  const scenarios = listDirs(scenariosDir);

  /** Rule ids an `expect.json` mentions, wherever it mentions them: `ruleId`/`rule` fields or `lazy-init/*` keys. */
  const mentionedRules = (value: unknown, found = new Set<string>()): Set<string> => {
    if (Array.isArray(value)) for (const item of value) mentionedRules(item, found);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.startsWith(`${namespace}/`)) found.add(key);
        if ((key === 'ruleId' || key === 'rule') && typeof item === 'string') found.add(item);
        mentionedRules(item, found);
      }
    }
    return found;
  };

  it('each scenario folder has one input, an expect.json and known rule ids', () => {
    for (const scenario of scenarios) {
      expect(scenario).toMatch(KEBAB_CASE);
      const files = readdirSync(path.join(scenariosDir, scenario));
      expect(files.filter((file) => /^input\.[a-z]+$/.test(file)), `\`${scenario}\` has one input`).toHaveLength(1);
      expect(files, `\`${scenario}\` has an expect.json`).toContain('expect.json');
      for (const id of mentionedRules(readJson(path.join(scenariosDir, scenario, 'expect.json')))) {
        expect(ruleIds, `\`${scenario}/expect.json\` names a rule that exists`).toContain(id.replace(`${namespace}/`, ''));
      }
    }
  });
});

describe('codemod transforms', () => {
  const transformsDir = at('codemods/src/transforms');
  const slugs = existsSync(transformsDir)
    ? sorted(readdirSync(transformsDir).filter((file) => file.endsWith('.ts') && file !== 'index.ts').map((file) => file.replace(/\.ts$/, '')))
    : [];

  it('each transform is kebab-case and documented in the codemod README', () => {
    const readme = slugs.length > 0 ? readFileSync(at('codemods/README.md'), 'utf8') : '';
    for (const slug of slugs) {
      expect(slug).toMatch(KEBAB_CASE);
      expect(readme, `the codemod README documents \`${slug}\``).toContain(`\`${slug}\``);
    }
  });
});

describe('packages', () => {
  const rootManifest = readJson<{ workspaces: string[]; engines: { node: string } }>(at('package.json'));
  const packages = rootManifest.workspaces.map((dir) => ({ dir, manifest: readJson(at(dir, 'package.json')) }));
  type Exports = Record<string, string | { [condition: string]: string | Record<string, string> }>;

  it('the root lists every package folder as a workspace', () => {
    const withManifest = listDirs(root).filter(
      (dir) => !dir.startsWith('.') && dir !== 'node_modules' && existsSync(at(dir, 'package.json')),
    );
    expect(sorted(rootManifest.workspaces)).toEqual(withManifest);
  });

  it.each(rootManifest.workspaces)('`%s` has a chosen public surface', (dir) => {
    const manifest = packages.find((entry) => entry.dir === dir)!.manifest;
    expect(manifest.name).toMatch(/^@lazy-init\/[a-z-]+$/);
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(Array.isArray(manifest.files) && manifest.files.length > 0).toBe(true);
    expect((manifest.engines as { node?: string } | undefined)?.node).toBe(rootManifest.engines.node);
    const exportsMap = manifest.exports as Exports;
    expect(exportsMap['.']).toBeDefined();
    // A target is a path, a condition map with `types` first and a `default`, or a map of `import`/`require`
    // conditions that are such maps themselves.
    const check = (subpath: string, target: Exports[string]): void => {
      if (typeof target === 'string') return;
      const conditions = Object.keys(target);
      if (conditions.every((condition) => condition === 'import' || condition === 'require')) {
        for (const nested of Object.values(target)) check(subpath, nested as Exports[string]);
        return;
      }
      expect(conditions[0], `\`${subpath}\` of \`${dir}\` lists \`types\` first`).toBe('types');
      expect(conditions).toContain('default');
    };
    for (const [subpath, target] of Object.entries(exportsMap)) check(subpath, target);
  });

  it('no file imports another package through a path its exports map does not offer', () => {
    const subpaths = new Map(
      packages.map(({ manifest }) => [manifest.name as string, Object.keys(manifest.exports as Exports)]),
    );
    const allowed = (pkg: string, subpath: string): boolean =>
      (subpaths.get(pkg) ?? []).some((pattern) => {
        if (!pattern.includes('*')) return pattern === subpath;
        const [prefix, suffix] = pattern.split('*') as [string, string];
        return subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length > prefix.length + suffix.length;
      });
    const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(@lazy-init\/[^'"]+)\1/gm;
    const offenders: string[] = [];
    const scan = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          if (!['node_modules', 'dist', 'coverage', 'fixtures'].includes(entry.name) && !entry.name.startsWith('.')) {
            scan(path.join(dir, entry.name));
          }
        } else if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
          const text = readFileSync(path.join(dir, entry.name), 'utf8');
          for (const match of text.matchAll(specifier)) {
            const [, , request] = match as unknown as [string, string, string];
            const [scope, name, ...rest] = request.split('/');
            const pkg = `${scope}/${name}`;
            if (!subpaths.has(pkg)) continue;
            const subpath = rest.length === 0 ? '.' : `./${rest.join('/')}`;
            if (!allowed(pkg, subpath)) offenders.push(`${path.relative(root, path.join(dir, entry.name))}: ${request}`);
          }
        }
      }
    };
    for (const dir of [...rootManifest.workspaces, 'test', 'bench']) if (existsSync(at(dir))) scan(at(dir));
    expect(offenders).toEqual([]);
  });
});

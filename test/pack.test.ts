/**
 * Each package as npm would publish it: `npm pack --dry-run --json` lists the tarball, and the list must hold what the
 * manifest promises (every `exports` target, `main`, `types`, `bin`), what people check before adopting a package
 * (LICENSE, README, CHANGELOG, repository links), nothing of the tests, and a source for every source map.
 * Expectations come from each package.json, so a changed `exports` map is checked as it stands.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../eslint-plugin/src/index.js';
import { docsUrl } from '../eslint-plugin/src/utils/create-rule.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Manifest {
  name: string;
  license: string;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports: unknown;
  files: string[];
  repository: { type: string; url: string; directory: string };
  homepage: string;
  bugs: { url: string };
  publishConfig: { access: string; provenance: boolean };
}

const workspaces = readJson<{ workspaces: string[] }>(path.join(root, 'package.json')).workspaces;

/** Every file path an `exports` value names, conditions and nesting included. */
const exportTargets = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
};

const normalize = (file: string): string => path.posix.normalize(file.replace(/^\.\//, ''));

/** A target with `*` matches at least one shipped file (the pattern is not a promise about nothing). */
const matches = (target: string, files: ReadonlySet<string>): boolean => {
  const wanted = normalize(target);
  if (!wanted.includes('*')) return files.has(wanted);
  const [prefix, suffix] = wanted.split('*') as [string, string];
  return [...files].some((file) => file.startsWith(prefix) && file.endsWith(suffix) && file.length > prefix.length + suffix.length);
};

const packed = new Map<string, Set<string>>();

beforeAll(() => {
  // Packing reads `dist/`; a focused run may not have built it.
  execFileSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  for (const dir of workspaces) {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: path.join(root, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [tarball] = JSON.parse(output) as [{ files: { path: string }[] }];
    packed.set(dir, new Set(tarball.files.map((file) => file.path)));
  }
}, 300_000);

describe.each(workspaces)('the `%s` tarball', (dir) => {
  const manifest = readJson<Manifest>(path.join(root, dir, 'package.json'));
  const files = (): Set<string> => packed.get(dir)!;

  it('holds every file its manifest points to', () => {
    const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
    const targets = [...exportTargets(manifest.exports), ...bins, manifest.main, manifest.types].filter(
      (target): target is string => target !== undefined,
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(matches(target, files()), `\`${target}\` is in the tarball`).toBe(true);
  });

  it('holds the LICENSE, README and CHANGELOG, and the LICENSE is the one its manifest names', () => {
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) expect(files()).toContain(file);
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(path.join(root, dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(readFileSync(path.join(root, dir, 'LICENSE'), 'utf8')).toBe(readFileSync(path.join(root, 'LICENSE'), 'utf8'));
    // The heading is where changesets inserts each release's entry.
    expect(readFileSync(path.join(root, dir, 'CHANGELOG.md'), 'utf8').split('\n')[0]).toBe(`# ${manifest.name}`);
  });

  it('ships no tests, fixtures or build state', () => {
    const stray = [...files()].filter((file) =>
      /(?:^|\/)(?:test|tests|__tests__|fixtures|coverage)\/|\.(?:test|spec)\.[cm]?[jt]sx?$|\.tsbuildinfo$/.test(file),
    );
    expect(stray).toEqual([]);
  });

  it('has a source for every source map', () => {
    const maps = [...files()].filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourcesContent, sourceRoot = '' } = readJson<{
        sources: string[];
        sourcesContent?: (string | null)[];
        sourceRoot?: string;
      }>(path.join(root, dir, map));
      sources.forEach((source, index) => {
        if (typeof sourcesContent?.[index] === 'string') return;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot, source));
        if (!files().has(resolved)) missing.push(`${map} -> ${resolved}`);
      });
    }
    expect(missing).toEqual([]);
  });

  it('holds every file its README links to inside the package', () => {
    const readme = readFileSync(path.join(root, dir, 'README.md'), 'utf8');
    for (const [, link] of readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(link!) || link!.startsWith('../')) continue;
      expect(files(), `README link \`${link}\``).toContain(normalize(link!));
    }
  });

  it('names one repository, homepage and issue tracker, and is ready to publish with provenance', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${repositoryUrl}.git`, directory: dir });
    expect(manifest.homepage).toBe(`${repositoryUrl}/tree/main/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${repositoryUrl}/issues` });
    expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
  });
});

/** The one GitHub location of the project: the plugin's rule docs links are built from it. */
const repositoryUrl = readJson<Manifest>(path.join(root, 'eslint-plugin/package.json'))
  .repository.url.replace(/^git\+/, '')
  .replace(/\.git$/, '');

describe('rule documentation links', () => {
  it('point into the repository the manifests name, at documents the plugin tarball ships', () => {
    for (const [id, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs.url).toBe(docsUrl(id));
      expect(rule.meta.docs.url).toBe(`${repositoryUrl}/blob/main/eslint-plugin/docs/rules/${id}.md`);
      expect(packed.get('eslint-plugin')).toContain(`docs/rules/${id}.md`);
    }
  });
});

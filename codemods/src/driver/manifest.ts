import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { nearestAncestor } from './git.js';

export const RUNTIME_PACKAGE = '@lazy-init/runtime';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** An import or `require` of the runtime package, in any quote style. */
const RUNTIME_REFERENCE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])@lazy-init\/runtime\1/;

/** Whether a rewrite made the file import the runtime where it did not before. */
export function addsRuntimeImport(before: string, after: string): boolean {
  return RUNTIME_REFERENCE.test(after) && !RUNTIME_REFERENCE.test(before);
}

/**
 * The range written into a manifest: a caret on the runtime version this codemod was released with (its own
 * dependency on the runtime), so that the API it writes is the API that gets installed.
 */
export function runtimeRange(): string {
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const version = own.dependencies?.[RUNTIME_PACKAGE] ?? '';
  return /^\d/.test(version) ? `^${version}` : version;
}

/** The nearest `package.json` at or above `dir`. */
export const nearestManifest = (dir: string, cache: Map<string, string | undefined>): string | undefined =>
  nearestAncestor(dir, cache, (current) => {
    const candidate = path.join(current, 'package.json');
    return existsSync(candidate) ? candidate : undefined;
  });

export type ManifestEdit =
  | { readonly kind: 'edit'; readonly text: string }
  | { readonly kind: 'present' }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Adds the runtime to a manifest's `dependencies`, as npm itself writes a manifest: the file's own indentation
 * (spaces or tabs), line endings and final newline, every other key in its order. The new key goes in alphabetical
 * place when the existing dependencies are sorted, else last; a missing `dependencies` object is added as the last
 * key. `present` when any dependency field already names the runtime,
 * or the manifest is the runtime's own.
 */
export function addRuntimeDependency(text: string, range: string): ManifestEdit {
  let manifest: unknown;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    manifest = JSON.parse(body);
  } catch (error) {
    return { kind: 'invalid', message: `The manifest is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return { kind: 'invalid', message: 'The manifest is not a JSON object.' };
  }
  const record = manifest as Record<string, unknown>;
  if (record.name === RUNTIME_PACKAGE) return { kind: 'present' };
  for (const field of DEPENDENCY_FIELDS) {
    const deps = record[field];
    if (deps !== null && typeof deps === 'object' && RUNTIME_PACKAGE in deps) return { kind: 'present' };
  }
  const existing = record.dependencies;
  if (existing !== undefined && (existing === null || typeof existing !== 'object' || Array.isArray(existing))) {
    return { kind: 'invalid', message: 'The manifest\'s `dependencies` is not an object.' };
  }
  const entries = Object.entries((existing ?? {}) as Record<string, unknown>);
  const names = entries.map(([name]) => name);
  const sorted = names.every((name, i) => i === 0 || names[i - 1]! <= name);
  const at = sorted ? names.filter((name) => name < RUNTIME_PACKAGE).length : names.length;
  entries.splice(at, 0, [RUNTIME_PACKAGE, range]);
  const dependencies = Object.fromEntries(entries);
  const next = existing === undefined ? { ...record, dependencies } : Object.fromEntries(Object.entries(record).map(([key, value]) => [key, key === 'dependencies' ? dependencies : value]));

  const indent = /^([ \t]+)"/m.exec(body)?.[1] ?? '  ';
  const newline = body.includes('\r\n') ? '\r\n' : '\n';
  let out = JSON.stringify(next, null, indent);
  if (newline !== '\n') out = out.replace(/\n/g, newline);
  if (/\r?\n$/.test(body)) out += newline;
  return { kind: 'edit', text: (text.startsWith('\uFEFF') ? '\uFEFF' : '') + out };
}

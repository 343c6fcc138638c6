/**
 * Test helpers: running the engine on a source text, type-checking its output against the runtime's sources, and
 * parsing it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@typescript-eslint/typescript-estree';
import ts from 'typescript';
import { expect } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { EngineOptions, SiteReport } from '../../src/engine/types.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const runtimeEntry = path.join(repoRoot, 'runtime/src/index.ts');

const compilerOptions = (): ts.CompilerOptions => ({
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  // JavaScript scenarios are checked too, with their JSDoc types, as a project with `checkJs` checks them.
  allowJs: true,
  checkJs: true,
  allowImportingTsExtensions: true,
  types: [],
  paths: { '@lazy-init/runtime': [runtimeEntry] },
});

/** Library and runtime source files parsed once for every program the tests build. */
const sharedSourceFiles = new Map<string, ts.SourceFile>();

/**
 * Semantic and syntactic diagnostics of `text` checked as `fileName` (TypeScript, or JavaScript with `checkJs`), with
 * `@lazy-init/runtime` resolved to the runtime's sources. Diagnostics in other files are left out.
 */
export const typeDiagnostics = (fileName: string, text: string, globals?: string): string[] => {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const absolute = path.resolve(fileName);
  const globalsFile = path.join(path.dirname(absolute), '__globals__.d.ts');
  const virtual = new Map([[absolute, text], ...(globals === undefined ? [] : [[globalsFile, globals] as const])]);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile(file);
  host.fileExists = ((exists) => (file: string) => virtual.has(path.resolve(file)) || exists(file))(host.fileExists.bind(host));
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const resolved = path.resolve(file);
    const own = virtual.get(resolved);
    if (own !== undefined) return ts.createSourceFile(file, own, languageVersion, true);
    let sourceFile = sharedSourceFiles.get(resolved);
    if (sourceFile === undefined) {
      sourceFile = getSourceFile(file, languageVersion, onError, shouldCreate);
      if (sourceFile !== undefined) sharedSourceFiles.set(resolved, sourceFile);
    }
    return sourceFile;
  };
  const program = ts.createProgram({ rootNames: globals === undefined ? [absolute] : [absolute, globalsFile], options, host });
  const sourceFile = program.getSourceFile(absolute);
  if (sourceFile === undefined) throw new Error(`The program does not hold \`${absolute}\`.`);
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map((diagnostic) =>
    ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  );
};

/**
 * Diagnostics of the output that the input did not have. Scenario inputs are excerpts that use names declared
 * elsewhere (`createDb`, `Pool`), so the output is held to "no error the input did not already have".
 */
export const newTypeErrors = (fileName: string, input: string, output: string, globals?: string): string[] => {
  const before = typeDiagnostics(fileName, input, globals);
  const after = typeDiagnostics(fileName, output, globals);
  const remaining = [...before];
  return after.filter((message) => {
    const index = remaining.indexOf(message);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
};

export const parses = (fileName: string, text: string): boolean => {
  try {
    parse(text.replace(/^\uFEFF/, ''), { filePath: fileName, jsx: /\.[jt]sx$/.test(fileName) });
    return true;
  } catch {
    return false;
  }
};

/** A temporary directory holding `files`, removed by the returned function. */
export const tempProject = (files: Record<string, string>): { dir: string; cleanup: () => void } => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-engine-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    writeFileSync(file, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

/** A `tsconfig.json` body for a temporary project that resolves the runtime to its sources. */
export const tempTsconfig = (files: readonly string[]): string =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
      skipLibCheck: true,
      types: [],
      noEmit: true,
      paths: { '@lazy-init/runtime': [runtimeEntry] },
    },
    files,
  });

/**
 * Declarations for the names the scenario excerpts use without declaring them, with real types, so that the type
 * check of a rewrite sees what `T` and the cell calls really are rather than unresolved names.
 */
export const SCENARIO_GLOBALS = `
declare class Pool { query(sql: string): Promise<unknown> }
declare function createPool(options: { max: number }): Promise<Pool>;
declare class HttpClient { constructor(options: { token: string }); get(path: string): Promise<Response> }
declare interface Auth { token(): Promise<string> }
declare class Store { close(): void }
declare function openStore(): Promise<Store>;
declare class FileSet { readonly size: number }
declare function scanFiles(root: string): FileSet;
declare interface Config { readonly name: string }
declare function parseConfig(path: string): Config;
declare class TokenMap { get(name: string): string | undefined }
declare function buildTokens(): TokenMap;
declare class Formatter { constructor(options: { locale: string }); format(value: number): string }
declare class Grammar { readonly scopeName: string }
declare function loadGrammar(name: string): Grammar;
declare class Parser { constructor(text: string); parse(): unknown }
declare interface Result { readonly score: number }
declare class SearchIndex { find(query: string): Result[] }
declare function buildIndex(documents: readonly string[]): SearchIndex;
declare function readVersion(): Promise<string>;
declare class Connection { constructor(url: string); close(): void }
declare interface Palette { readonly primary: string }
declare function computePalette(): Palette;
declare class Sandbox { run(code: string): unknown }
declare function loadSandbox(version: string): Promise<Sandbox>;
declare interface Manifest { readonly version: string }
declare interface Item { readonly id: string }
declare interface Session { readonly user: string }
declare function login(): Promise<Session>;
declare class Watcher { constructor(root: string); close(): void }
declare type Handler = (input: string) => string;
declare function loadHandlers(): Map<string, Handler>;
declare class PluginRegistry { register(name: string): void }
declare class Telemetry { send(event: string): void }
`;

/** Source text from lines, ending with a newline. */
export const lines = (...parts: string[]): string => parts.join('\n') + '\n';

/** Runs the engine on one source text; the output, when there is one, must parse. */
export const runEngine = (filePath: string, source: string, engineOptions: EngineOptions = { typeAware: false, preserveFailureCaching: false }) => {
  const result = createEngine(engineOptions).transform(filePath, source);
  if (result.status !== 'ok') throw new Error(result.message);
  if (result.output !== undefined) expect(parses(filePath, result.output)).toBe(true);
  return result;
};

/** The one site of a report. */
export const only = (sites: readonly SiteReport[]): SiteReport => {
  expect(sites).toHaveLength(1);
  return sites[0]!;
};

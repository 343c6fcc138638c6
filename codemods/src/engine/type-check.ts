/**
 * Verifying a rewrite against the project's types before it is written: the file's new text is checked in a program
 * that is the project's own with only that file replaced, and every diagnostic it has that the old text did not have
 * counts against the rewrite. `@lazy-init/runtime` resolves as the project resolves it, or else to the runtime this
 * codemod ships with, since the project gets that dependency only when the run adds it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_MODULE } from '@lazy-init/eslint-plugin/analysis';
// Loaded through `require`, as in type-program.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import ts = require('typescript');

/** The runtime this codemod depends on is found by resolving it, the project's way, from a file of the codemod. */
const anchor = fileURLToPath(import.meta.url);

const key = (diagnostic: ts.Diagnostic): string => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;

/** `TS2322 at line 4: Type 'x' is not assignable to type 'y'`, for a report: the first line of the message. */
const describe = (diagnostic: ts.Diagnostic): string => {
  const where =
    diagnostic.file && diagnostic.start !== undefined ? ` at line ${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}` : '';
  const head = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0]!.replace(/\.$/, '');
  return `TS${diagnostic.code}${where}: ${head}`;
};

const diagnosticsOf = (program: ts.Program, sourceFile: ts.SourceFile): readonly ts.Diagnostic[] => [
  ...program.getSyntacticDiagnostics(sourceFile),
  ...program.getSemanticDiagnostics(sourceFile),
];

/** Diagnostics of the program's own text of each file, computed once per program and file. */
const original = new WeakMap<ts.SourceFile, Map<string, number>>();

const counted = (diagnostics: readonly ts.Diagnostic[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const diagnostic of diagnostics) counts.set(key(diagnostic), (counts.get(key(diagnostic)) ?? 0) + 1);
  return counts;
};

/**
 * The first diagnostic that `text`, as the new content of `sourceFile`, adds to those `program` reports for the file
 * as it is; `undefined` when it adds none. Diagnostics are compared by code and message, not by position, since a
 * rewrite moves the code around them.
 */
export function addedDiagnostic(program: ts.Program, sourceFile: ts.SourceFile, text: string): string | undefined {
  let before = original.get(sourceFile);
  if (before === undefined) {
    before = counted(diagnosticsOf(program, sourceFile));
    original.set(sourceFile, before);
  }
  const options = program.getCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const target = path.resolve(sourceFile.fileName);
  const ownSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    path.resolve(fileName) === target
      ? ts.createSourceFile(fileName, text, languageVersion, true)
      : (program.getSourceFile(fileName) ?? ownSourceFile(fileName, languageVersion, onError, shouldCreate));
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (name) => host.getCanonicalFileName(name), options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, resolutionOptions, containing) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containing, literal, resolutionOptions);
      const resolved = ts.resolveModuleName(literal.text, containingFile, resolutionOptions, host, cache, redirected, mode);
      if (resolved.resolvedModule || literal.text !== RUNTIME_MODULE) return resolved;
      return ts.resolveModuleName(literal.text, anchor, resolutionOptions, host, cache, undefined, mode);
    });
  const references = program.getProjectReferences();
  const next = ts.createProgram({
    rootNames: program.getRootFileNames(),
    options,
    host,
    oldProgram: program,
    ...(references ? { projectReferences: references } : {}),
  });
  const rewritten = next.getSourceFile(sourceFile.fileName);
  if (rewritten === undefined) return 'the rewritten file is not part of the program';
  const left = new Map(before);
  for (const diagnostic of diagnosticsOf(next, rewritten)) {
    const seen = left.get(key(diagnostic)) ?? 0;
    if (seen === 0) return describe(diagnostic);
    left.set(key(diagnostic), seen - 1);
  }
  return undefined;
}

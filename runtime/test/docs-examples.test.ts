/**
 * Every example the runtime shows its users runs, against the built package, exactly as a user would paste it:
 * each ```ts block of `runtime/README.md` and each ```ts block under an `@example` tag in `runtime/src/*.ts`.
 * Examples check their own claims with `node:assert`, so a block that exits non-zero is documentation that lies.
 * Each block is also type-checked (strict, against the built declarations), so its types cannot drift either.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const runtimeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.dirname(runtimeDir);
const srcDir = path.join(runtimeDir, 'src');
// Inside the package, so that `@lazy-init/runtime` resolves through the workspace link to `runtime/dist`.
const scratchDir = path.join(runtimeDir, '.examples-tmp');

interface Block {
  /** `runtime/README.md:42`: where the opening fence is. */
  readonly location: string;
  readonly code: string;
}

/** Fenced TypeScript blocks (```ts, ```typescript, ```mts) of a markdown text; `firstLine` is the 1-based line of `text`'s first line in its file. */
function fencedTsBlocks(text: string, file: string, firstLine: number): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(?:ts|typescript|mts)(?:\s.*)?$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').trim() !== fence) body.push(lines[j++] ?? '');
    if (j === lines.length) throw new Error(`${file}:${firstLine + i}: the \`\`\`ts block is never closed.`);
    blocks.push({ location: `${file}:${firstLine + i}`, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

function readmeBlocks(): Block[] {
  return fencedTsBlocks(readFileSync(path.join(runtimeDir, 'README.md'), 'utf8'), 'runtime/README.md', 1);
}

interface SourceExample {
  readonly file: string;
  readonly line: number;
  readonly blocks: Block[];
}

/** `@example` tags of the TSDoc comments in `runtime/src/*.ts`, with the ```ts blocks each one holds. */
function sourceExamples(): SourceExample[] {
  const examples: SourceExample[] = [];
  const files = readdirSync(srcDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort();
  for (const name of files) {
    const file = `runtime/src/${name}`;
    const text = readFileSync(path.join(srcDir, name), 'utf8');
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const startLine = text.slice(0, comment.index).split('\n').length;
      // Strip the ` * ` gutter, keeping the indentation of the code after it.
      const lines = comment[0].split('\n').map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
      for (let i = 0; i < lines.length; i++) {
        if (!/^@example\b/.test(lines[i] ?? '')) continue;
        let end = i + 1;
        while (end < lines.length && !/^@\w/.test(lines[end] ?? '')) end++;
        const body = lines.slice(i + 1, end).join('\n');
        examples.push({ file, line: startLine + i, blocks: fencedTsBlocks(body, file, startLine + i + 1) });
      }
    }
  }
  return examples;
}

interface Documented {
  readonly name: string;
  readonly hasExample: boolean;
  readonly where: string;
}

const hasExample = (declarations: readonly ts.Declaration[]): boolean =>
  declarations.some((declaration) => ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'));

const whereIs = (declaration: ts.Declaration | undefined): string => {
  if (!declaration) return 'unknown';
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart());
  return `${path.relative(repoDir, file.fileName)}:${line + 1}`;
};

/**
 * The public surface of `runtime/src/index.ts`: every export, types included, and, for each exported class, its
 * constructor and every public method and accessor declared in `runtime/src` (inherited ones included). Left out:
 * data fields; the `util.inspect` hook, which shows `toString()`; and the constructors of error classes, which only
 * the runtime calls.
 */
function publicSurface(): Documented[] {
  const program = ts.createProgram([path.join(srcDir, 'index.ts')], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(srcDir, 'index.ts'));
  if (!index) throw new Error('`runtime/src/index.ts` is missing.');
  const moduleSymbol = checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error('`runtime/src/index.ts` is not a module.');
  const inSrc = (declaration: ts.Declaration): boolean =>
    path.normalize(declaration.getSourceFile().fileName).startsWith(srcDir + path.sep);
  const surface: Documented[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    surface.push({ name: exported.name, hasExample: hasExample(declarations), where: whereIs(declarations[0]) });
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    const classDeclaration = declarations.find(ts.isClassDeclaration);
    const isError = checker
      .getBaseTypes(checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType)
      .some(function extendsError(base): boolean {
        return base.symbol?.name === 'Error' || checker.getBaseTypes(base as ts.InterfaceType).some(extendsError);
      });
    const constructors = classDeclaration?.members.filter(ts.isConstructorDeclaration) ?? [];
    if (!isError && constructors.length > 0) {
      surface.push({ name: `new ${exported.name}()`, hasExample: hasExample(constructors), where: whereIs(constructors[0]) });
    }
    for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const memberDeclarations = (member.declarations ?? []).filter(inSrc);
      const first = memberDeclarations[0];
      if (!first) continue;
      const isCallable = memberDeclarations.some(
        (d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d) || ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d),
      );
      // A member the base class keeps protected is public when the type's own interface declares it (`OnceCell`,
      // `OnceLock`): hidden only when every declaration hides it.
      const hidden = memberDeclarations.every((d) => {
        const name = ts.getNameOfDeclaration(d);
        return (
          (name !== undefined && ts.isPrivateIdentifier(name)) ||
          (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0
        );
      });
      const firstName = ts.getNameOfDeclaration(first);
      const computed = firstName !== undefined && ts.isComputedPropertyName(firstName) ? firstName.getText() : undefined;
      const isInspectHook = computed !== undefined && !/^\[Symbol\.(async)?[dD]ispose\]$/.test(computed);
      if (!isCallable || hidden || isInspectHook) continue;
      surface.push({
        name: `${exported.name}#${computed ?? member.name}`,
        hasExample: hasExample(memberDeclarations),
        where: whereIs(first),
      });
    }
  }
  return surface;
}

function transpile(block: Block): string {
  return ts.transpileModule(block.code, {
    fileName: 'example.ts',
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      // ES2022 lowers `using` / `await using`, which Node 20 does not parse.
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  }).outputText;
}

const slug = (block: Block): string => block.location.replace(/[^\w]+/g, '-');

/** Type errors of every block, by location, from one strict program over all of them. */
function typeCheck(blocks: readonly Block[]): Map<string, string[]> {
  mkdirSync(scratchDir, { recursive: true });
  const files = new Map(blocks.map((block) => [path.join(scratchDir, `${slug(block)}.ts`), block]));
  for (const [file, block] of files) writeFileSync(file, block.code);
  let program: ts.Program;
  try {
    program = ts.createProgram([...files.keys()], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    });
  } finally {
    for (const file of files.keys()) rmSync(file);
  }
  const errors = new Map<string, string[]>(blocks.map((block) => [block.location, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const block = diagnostic.file && files.get(path.normalize(diagnostic.file.fileName));
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!block || diagnostic.start === undefined) {
      throw new Error(`Type-checking the examples failed outside any example: ${message}`);
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    const [file, fence] = block.location.split(/:(?=\d+$)/);
    errors.get(block.location)!.push(`${file}:${Number(fence) + line + 1}: ${message}`);
  }
  return errors;
}

async function runBlock(block: Block): Promise<void> {
  mkdirSync(scratchDir, { recursive: true });
  const file = path.join(scratchDir, `${slug(block)}.mjs`);
  writeFileSync(file, `// From ${block.location}\n${transpile(block)}`);
  const result = await new Promise<{ failure: string | undefined; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [file], { cwd: repoDir, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      const failure = error ? (error.killed ? `killed after 20 s (${error.signal})` : `exit code ${error.code}`) : undefined;
      resolve({ failure, stdout, stderr });
    });
  }).finally(() => rmSync(file));
  if (result.failure !== undefined) {
    throw new Error(
      `The example at ${block.location} failed (${result.failure}).\n` +
        `--- source ---\n${block.code}\n--- stderr ---\n${result.stderr}${result.stdout ? `--- stdout ---\n${result.stdout}` : ''}`,
    );
  }
}

const readme = readmeBlocks();
const examples = sourceExamples();
let typeErrors = new Map<string, string[]>();

beforeAll(() => {
  // Examples import the built package; `tsc -b` is incremental, so this is quick when `npm run build` already ran.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', 'runtime'], { cwd: repoDir, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`\`tsc -b runtime\` failed, so the examples have no package to run against:\n${output}`);
  }
  typeErrors = typeCheck([...readme, ...examples.flatMap((example) => example.blocks)]);
});

afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
});

async function check(block: Block): Promise<void> {
  expect(typeErrors.get(block.location), `type errors in the example at ${block.location}`).toEqual([]);
  await runBlock(block);
}

describe('runtime/README.md', () => {
  test('has runnable examples', () => {
    expect(readme.length).toBeGreaterThan(0);
  });
  for (const block of readme) {
    // Each example is its own Node process, so they can run side by side.
    test.concurrent(block.location, async () => {
      expect(block.code).toMatch(/from '@lazy-init\/runtime'/);
      await check(block);
    });
  }
});

describe('runtime/examples/tour.js', () => {
  test('runs against the built package and shows what it claims', async () => {
    const tour = path.join(runtimeDir, 'examples', 'tour.js');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [tour], { cwd: repoDir, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`The tour failed: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
    expect(output).toContain('connect() ran 1 time(s)');
    expect(output).toContain('caller 3: already-initialized device #2');
    expect(output).toMatch(/ReentrantInitError: .*a -> b -> a/);
  });
});

describe('TSDoc @example blocks in runtime/src', () => {
  test('every export of runtime/src/index.ts, and every public member of its classes, has an @example', () => {
    const surface = publicSurface();
    expect(surface.map((entry) => entry.name)).toEqual(expect.arrayContaining(['OnceCell', 'OnceCell#getOrInit']));
    const missing = surface.filter((entry) => !entry.hasExample).map((entry) => `${entry.name} (${entry.where})`);
    expect(missing, 'public API without an `@example` in its TSDoc').toEqual([]);
  });
  for (const example of examples) {
    test(`${example.file}:${example.line} holds a \`\`\`ts block`, () => {
      expect(example.blocks.length).toBeGreaterThan(0);
    });
    for (const block of example.blocks) {
      test.concurrent(block.location, async () => {
        await check(block);
      });
    }
  }
});

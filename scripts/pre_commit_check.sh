#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, run as an edition runs them: a new edition
# (`teikit init`), built and committed, passes both hooks; after a source changes without a
# rebuild, the build hook fails. Needs pre-commit (pip install pre-commit) and a built
# target/debug/teikit (cargo test builds it). .ci/run runs this after the tests.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
teikit="$repo/target/debug/teikit"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$teikit" init "$scratch/edition" --volume v1 2>/dev/null
cd "$scratch/edition"
"$teikit" build >/dev/null
git init -q
git add -A
git -c user.email=ci@example.org -c user.name=ci commit -qm "a new edition"
pre-commit try-repo "$repo" --all-files
echo "ok: both hooks pass on a new edition"
# The edition's own configuration (local hooks running the teikit on the PATH).
PATH="$(dirname "$teikit"):$PATH" pre-commit run --all-files
echo "ok: the edition's own pre-commit configuration passes"
sed -i 's/sample document/example document/' sources/v1/d1.txt
git -c user.email=ci@example.org -c user.name=ci commit -qam "a source changed, not rebuilt"
if pre-commit try-repo "$repo" teikit-build-check --all-files >"$scratch/stale.log" 2>&1; then
  cat "$scratch/stale.log"
  echo "FAIL: the build hook passed with a stale output"
  exit 1
fi
grep -q "Failed" "$scratch/stale.log"
echo "ok: the build hook fails on a stale output"

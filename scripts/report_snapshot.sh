#!/usr/bin/env bash
# Writes what a teikit binary reports on the bundled sources and the reference data into a
# folder, one file per command (standard output, standard error, exit status), so that two
# builds can be compared byte for byte: a refactoring must leave every report as it was.
#
#   scripts/report_snapshot.sh target/release/teikit /tmp/before
#   (change the code, rebuild)
#   scripts/report_snapshot.sh target/release/teikit /tmp/after && diff -r /tmp/before /tmp/after
#
# Reference data from ../shared (TEIKIT_REFERENCE, TEIKIT_FRUS_DEVSET override it).
set -uo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
reference=${TEIKIT_REFERENCE:-../shared/reference}
devset=${TEIKIT_FRUS_DEVSET:-../shared/frus-devset}
mkdir -p "$out"
export NO_COLOR=1 TEIKIT_CACHE_DIR=off

run() {
  local name=$1
  shift
  "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
  echo $? >"$out/$name.status"
}

run rules rules
for format in human json github sarif; do
  run "validate-tei-$format" validate --format "$format" tei
  run "validate-corpus-bundled-$format" validate --format "$format" "$reference/corpus/valid-or-invalid"
  run "validate-corpus-tei_all-$format" validate --format "$format" --schema "$reference/tei/tei_all.rng" "$reference/corpus/valid-or-invalid"
done
run validate-mutants validate --format json --schema "$reference/tei/tei_all.rng" "$reference/corpus/mutants"
run build-check build --check
work=target/report-snapshot
rm -rf "$work"
mkdir -p "$work/old" "$work/new"
cp tei/frus1969-76v10/d59.xml "$work/old/d59.xml"
sed -e 's/Yesterday I concluded/Yesterday we concluded/' -e 's/when="1973-05-24"/when="1973-05-25"/' \
  tei/frus1969-76v10/d59.xml >"$work/new/d59.xml"
cp tei/frus1969-76v20/d1.xml "$work/old/d1.xml"
for format in human json; do
  run "diff-file-$format" diff --format "$format" "$work/old/d59.xml" "$work/new/d59.xml"
  run "diff-tree-$format" diff --format "$format" "$work/old" "$work/new"
done
run build-devset build --sources "$devset/sources" --out "$work/devset"
echo "snapshot of $(ls "$out" | wc -l) files in $out"

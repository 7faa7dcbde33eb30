#!/usr/bin/env bash
# Fuzzes every target in fuzz/ for SECONDS each (default 600), one after another, seeding
# each corpus from the project's own files. Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# A crash is written under fuzz/artifacts/TARGET/; keep it as a regression test in
# tests/fuzz_regressions.rs (see there) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(convert_text validate_bundled validate_small_schema compile_schema diff scan)

seed() {  # seed TARGET FILE...
  local dir="fuzz/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"; done
}
seed convert_text sources/*/*.txt
seed validate_bundled tei/*/*.xml tests/fixtures/subset/*.xml
seed validate_small_schema tests/fixtures/fuzz/small-*.xml
seed compile_schema schema/teikit-documentary.rng tests/fixtures/fuzz/*.rnc
seed scan tei/*/*.xml tests/fixtures/subset/*.xml
mkdir -p fuzz/corpus/diff
for f in tei/*/*.xml; do
  { cat "$f"; printf '\0'; sed 's/the /a /' "$f"; } > "fuzz/corpus/diff/seed-$(basename "$f")"
done

for target in "${targets[@]}"; do
  echo "== $target: ${seconds}s"
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | grep -E '^(==|stat::|#[0-9]+.*DONE|SUMMARY|artifact_prefix|Test unit written)' || true
done

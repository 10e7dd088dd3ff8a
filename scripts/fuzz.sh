#!/usr/bin/env bash
# Fuzzes with libFuzzer + ASan + UBSan, each target for SECONDS seconds: the image decoders
# (decode_fuzzer, seeds in tests/fuzz/corpus) and the HTTP request parser with the service's
# JSON and catalog routes (http_fuzzer, seeds in tests/fuzz/http_corpus).
#
# Usage: scripts/fuzz.sh SECONDS [extra libFuzzer flags...]
#   FACETAG_FUZZ_TARGETS="decode_fuzzer http_fuzzer" (default: both) picks the targets.
#
# Builds the targets with clang in their own build directory (FACETAG_FUZZ_BUILD_DIR, default
# build-fuzz), runs each on a copy of its corpus (the committed seeds stay as they are; the copy
# is kept in $FACETAG_FUZZ_BUILD_DIR/corpus-run-<target>), and exits non-zero on any crash,
# sanitizer report, timeout or out-of-memory. Reproducers land in $FACETAG_FUZZ_BUILD_DIR/artifacts;
# rerun one with
#   build-fuzz/tests/fuzz/<target> build-fuzz/artifacts/crash-...
set -euo pipefail

seconds="${1:?usage: scripts/fuzz.sh SECONDS [libFuzzer flags...]}"
shift
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FACETAG_FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="${FACETAG_FUZZ_JOBS:-2}"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACETAG_BUILD_FUZZERS=ON -DFACETAG_BUILD_TESTS=OFF >/dev/null
targets="${FACETAG_FUZZ_TARGETS:-decode_fuzzer http_fuzzer}"
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j "$jobs"
mkdir -p "$build/artifacts"

# Known leaks inside third-party decoders are listed, narrowly, in the suppressions file.
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for target in $targets; do
  case "$target" in
    decode_fuzzer) seeds="$root/tests/fuzz/corpus" ;;
    http_fuzzer) seeds="$root/tests/fuzz/http_corpus" ;;
    *) echo "unknown fuzz target $target" >&2; exit 2 ;;
  esac
  # A fresh copy per run; it is left in the build directory so that what the run found (slow
  # inputs, new coverage) can be inspected afterwards.
  work="$build/corpus-run-$target"
  rm -rf "$work"
  cp -r "$seeds" "$work"
  # -timeout: one input taking more than 30 s is a denial-of-service bug in its own right.
  "$build/tests/fuzz/$target" "$work" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
    -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@"
  echo "fuzz: $target: no crashes in ${seconds}s"
done

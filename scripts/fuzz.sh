#!/usr/bin/env bash
# Fuzzes the image decoders with libFuzzer + ASan + UBSan for SECONDS seconds.
#
# Usage: scripts/fuzz.sh SECONDS [extra libFuzzer flags...]
#
# Builds decode_fuzzer with clang in its own build directory (FACETAG_FUZZ_BUILD_DIR, default
# build-fuzz), runs it on a copy of tests/fuzz/corpus (the committed seeds stay as they are; the
# copy is kept in $FACETAG_FUZZ_BUILD_DIR/corpus-run), and exits non-zero on any crash, sanitizer
# report, timeout or out-of-memory. Reproducers land in $FACETAG_FUZZ_BUILD_DIR/artifacts;
# rerun one with
#   build-fuzz/tests/fuzz/decode_fuzzer build-fuzz/artifacts/crash-...
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
cmake --build "$build" --target decode_fuzzer -j "$jobs"

# A fresh copy per run; it is left in the build directory so that what the run found (slow
# inputs, new coverage) can be inspected afterwards.
work="$build/corpus-run"
rm -rf "$work"
cp -r "$root/tests/fuzz/corpus" "$work"
mkdir -p "$build/artifacts"

# Known leaks inside third-party decoders are listed, narrowly, in the suppressions file.
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# -timeout: one input decoding for more than 30 s is a denial-of-service bug in its own right.
"$build/tests/fuzz/decode_fuzzer" "$work" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@"
echo "fuzz: no crashes in ${seconds}s"

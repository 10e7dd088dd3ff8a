#!/usr/bin/env bash
# Runs every test from a fresh machine: set-up (packages, models, build), a bounded fuzz run of
# the decoders and of the HTTP request parser and routes, then the whole CTest suite (unit,
# parity, CLI).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh" --tests
bash "$root/scripts/fuzz.sh" "${FACETAG_FUZZ_SECONDS:-60}"
ctest --test-dir "$FACETAG_BUILD_DIR" --output-on-failure -j 2 --timeout 900

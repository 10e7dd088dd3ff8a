#!/usr/bin/env bash
# Runs every test from a fresh machine: set-up (packages, models, build), the fresh-machine package
# check where ../shared has it, a bounded fuzz run of the decoders and of the HTTP request parser
# and routes, then the whole CTest suite (unit, parity, CLI).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh" --tests
# On the team's machines and in CI a shared checker sits beside the checkout: it fails the run when
# the build used a Debian package that setup.sh would not install on a fresh machine. A clone on
# its own has no ../shared and skips this; scripts/fresh-debian.sh is the full proof.
deps_check="$root/../shared/tools/fresh-deps-check"
if [ -f "$deps_check" ]; then
  rc=0
  (cd "$root" && bash "$deps_check" "$FACETAG_BUILD_DIR") || rc=$?
  if [ "$rc" -eq 1 ]; then
    echo "[test] a fresh machine would lack packages this build uses: name them in scripts/setup.sh" >&2
    exit 1
  fi
  [ "$rc" -eq 0 ] || echo "[test] fresh-deps-check could not check (exit $rc); continuing" >&2
fi
bash "$root/scripts/fuzz.sh" "${FACETAG_FUZZ_SECONDS:-60}"
ctest --test-dir "$FACETAG_BUILD_DIR" --output-on-failure -j 2 --timeout 900

#!/usr/bin/env bash
# Speed, side by side in one run: facetag's whole pipeline against face-api.js on Node (the peer
# in ../shared/peers/faceapi-node) run as one process per core, on the same photos.
# usage: scripts/bench.sh [RUNS] [PHOTO...]   (default: 5 runs on face-api's demo photos)
#        FACETAG_BENCH_ARGS="--precision int8" scripts/bench.sh ...   (extra `facetag bench` flags)
# Prints per-net medians, photos/s of both, and the ratio. Record results in docs/BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
runs=${1:-5}
shift || true
# FACETAG_SKIP_SETUP=1: use the build in $FACETAG_BUILD_DIR as it is (e.g. an engineer's own build dir).
[ -n "${FACETAG_SKIP_SETUP:-}" ] || bash "$root/scripts/setup.sh" >/dev/null
photos=("$@")
[ ${#photos[@]} -gt 0 ] || photos=("$FACETAG_PACKAGE_DIR"/demo/sample*.jpg)
shared=${FACETAG_SHARED_DIR:-$root/../shared}
export FACEAPI_PEER_DIR
FACEAPI_PEER_DIR=$(bash "$shared/peers/faceapi-node/setup.sh")
cores=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== face-api.js (tfjs wasm), $cores processes, $runs runs per photo"
for ((i = 0; i < cores; i++)); do
  node "$shared/peers/faceapi-node/faces.js" --bench "$runs" "${photos[@]}" > "$tmp/peer$i.jsonl" &
done
wait
peer=$(cat "$tmp"/peer*.jsonl | sed -n 's/.*"images_per_s":\([0-9.]*\).*/\1/p' | awk '{s += $1} END {printf "%.3f", s}')
echo "face-api.js: $peer photos/s (sum over $cores processes of 1000 x photos / sum of per-photo medians)"

echo "== facetag"
# FACETAG_BENCH_ARGS: extra `facetag bench` flags, e.g. "--precision int8" (then oneDNN runs at
# f32 and at int8 side by side and the int8 run prints the "pipeline:" line compared below).
# shellcheck disable=SC2086
"$FACETAG_BUILD_DIR/tools/cli/facetag" bench --runs "$runs" ${FACETAG_BENCH_ARGS:-} "${photos[@]}" | tee "$tmp/facetag.txt"
ours=$(sed -n 's/^pipeline: \([0-9.]*\) photos\/s.*/\1/p' "$tmp/facetag.txt")
echo
awk -v a="$ours" -v b="$peer" 'BEGIN {printf "facetag %.2f photos/s vs face-api.js %.2f photos/s: %.2fx\n", a, b, a / b}'

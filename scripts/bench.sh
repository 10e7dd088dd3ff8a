#!/usr/bin/env bash
# Speed, side by side in one run: facetag's whole pipeline against face-api.js on Node (the peer
# in ../shared/peers/faceapi-node) run as one process per core, on the same photos.
# usage: scripts/bench.sh [RUNS] [PHOTO...]   (default: 5 runs on face-api's demo photos)
#        FACETAG_BENCH_ARGS="--precision int8" scripts/bench.sh ...   (extra `facetag bench` flags)
# Prints per-net medians, photos/s of both, and the ratio; then the whole process as a user runs
# it: `facetag faces` (auto, and each backend) against face-api.js on one process per core, over
# 22 photos (the 5 faces-bbt group photos, face-api's 6 demo photos, 11 faces-bbt crops), median
# wall time of RUNS runs each, model loading included. Record results in docs/BENCHMARKS.md.
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

# ---- whole process, as a user runs it ----
process_photos=("$root"/tests/data/faces-bbt/bbt*.jpg "$FACETAG_PACKAGE_DIR"/demo/sample*.jpg)
mapfile -t crops < <(tail -n +2 "$root/tests/data/faces-bbt/labels.csv" | cut -d, -f1 | head -11)
for c in "${crops[@]}"; do process_photos+=("$root/tests/data/faces-bbt/$c"); done
n=${#process_photos[@]}

# Median wall seconds of `runs` runs of a command.
median_seconds() {
  local times=() start
  for ((r = 0; r < runs; r++)); do
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
    times+=("$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# face-api.js on one process per core, the photos dealt out between them.
peer_processes() {
  local pids=() i
  for ((i = 0; i < cores; i++)); do
    local mine=()
    for ((k = i; k < n; k += cores)); do mine+=("${process_photos[k]}"); done
    node "$shared/peers/faceapi-node/faces.js" "${mine[@]}" > "$tmp/whole-peer$i.jsonl" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || return 1; done
}

facetag_faces() { "$FACETAG_BUILD_DIR/tools/cli/facetag" faces "$@" "${process_photos[@]}"; }

echo
echo "== whole process over $n photos (median of $runs runs, wall time, models loaded each run)"
peer_s=$(median_seconds peer_processes)
auto_s=$(median_seconds facetag_faces)
onednn_s=$(median_seconds facetag_faces --backend onednn --precision f32)
opencv_s=$(median_seconds facetag_faces --backend opencv)
for row in "face-api.js ($cores processes):$peer_s" "facetag faces (auto):$auto_s" \
           "facetag faces --backend onednn --precision f32:$onednn_s" "facetag faces --backend opencv:$opencv_s"; do
  awk -v label="${row%:*}" -v s="${row##*:}" -v n="$n" -v p="$peer_s" \
    'BEGIN {printf "%-48s %7.2f s  %6.2f photos/s  %6.2fx face-api.js\n", label, s, n / s, p / s}'
done

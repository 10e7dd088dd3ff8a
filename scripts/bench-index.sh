#!/usr/bin/env bash
# Indexing at scale, with memory over time: N distinct small photos, indexed by `facetag index
# --json --detector tiny` into a fresh catalog while the process's VmRSS is sampled every second.
# usage: scripts/bench-index.sh [N]   (default 10000; the tiny detector does ~30-40 photos/s on 2 cores)
# Prints photos/s, faces found, peak RSS, and RSS at 10%/50%/90% of the run: flat memory means
# those three are about equal. The samples (seconds, VmRSS kB) stay in $FACETAG_BENCH_RSS
# (default /tmp/facetag-bench-index-rss.tsv). Record results in docs/BENCHMARKS.md.
#
# The photos: a few 2x2 grids of the faces-bbt crops (four people each), copied N times with a
# different trailer after the JPEG's end marker, so every file hashes differently (the indexer
# analyses each one) yet decodes the same. Generation takes seconds, not minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
n=${1:-10000}
facetag="$FACETAG_BUILD_DIR/tools/cli/facetag"
rss_out=${FACETAG_BENCH_RSS:-/tmp/facetag-bench-index-rss.tsv}
[ -x "$facetag" ] || { echo "bench-index: build facetag first ($facetag)" >&2; exit 1; }
mapfile -t crops < <(ls "$root"/tests/data/faces-bbt/*/*.png)
[ ${#crops[@]} -ge 4 ] || { echo "bench-index: no faces-bbt crops under $root/tests/data" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Grids of crops c, c+10, c+20, c+30: the crops are listed person by person, five each, so the
# four are of different people (a photo never shows one person twice).
grids=10
mkdir -p "$tmp/grids" "$tmp/photos"
for ((g = 0; g < grids; g++)); do
  pick=()
  for k in 0 1 2 3; do pick+=("${crops[$(((g + 10 * k) % ${#crops[@]}))]}"); done
  convert \( "${pick[0]}" "${pick[1]}" +append \) \( "${pick[2]}" "${pick[3]}" +append \) -append \
    -colorspace sRGB -quality 90 "$tmp/grids/grid$g.jpg"
done
# 1000 files per folder, as a camera or a phone export would leave them.
python3 - "$tmp/grids" "$tmp/photos" "$n" "$grids" <<'EOF'
import os, sys
grids_dir, out, n, grids = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bases = [open(os.path.join(grids_dir, f"grid{g}.jpg"), "rb").read() for g in range(grids)]
for i in range(n):
    folder = os.path.join(out, f"{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"photo-{i:06d}.jpg"), "wb") as f:
        f.write(bases[i % grids] + b"facetag-bench-index %d\n" % i)
EOF
echo "bench-index: $n photos of $(identify -format '%wx%h' "$tmp/grids/grid0.jpg") in $tmp/photos"

export FACETAG_DB="$tmp/catalog.db"
start=$(date +%s.%N)
status=0
"$facetag" index --json --detector tiny "$tmp/photos" > "$tmp/summary.json" 2> "$tmp/stderr.log" &
pid=$!
: > "$rss_out"
hwm=0
while kill -0 "$pid" 2> /dev/null; do
  if read -r rss peak < <(awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {if (r) print r, h}' "/proc/$pid/status" 2> /dev/null); then
    printf '%s\t%s\n' "$(awk -v s="$start" -v t="$(date +%s.%N)" 'BEGIN {printf "%.1f", t - s}')" "$rss" >> "$rss_out"
    hwm=$peak
  fi
  sleep 1
done
wait "$pid" || status=$?
end=$(date +%s.%N)
if [ "$status" -ne 0 ]; then
  echo "bench-index: facetag index exited with $status" >&2
  tail -5 "$tmp/stderr.log" >&2
  [ "$status" -eq 1 ] || exit "$status"  # 1: some files failed, still a measurement
fi

summary=$(cat "$tmp/summary.json")
field() { grep -o "\"$1\":[0-9.]*" <<< "$summary" | head -1 | cut -d: -f2; }  # the first: the run's, not the catalog's
awk -v n="$n" -v wall="$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')" -v indexer_s="$(field seconds)" \
    -v analyzed="$(field analyzed)" -v faces="$(field faces_added)" -v failed="$(field failed)" -v hwm="$hwm" '
  { t[NR] = $1; r[NR] = $2; if ($2 > max) max = $2 }
  function at(f,   i, best, bi) {  # the sample nearest to fraction f of the run
    best = -1
    for (i = 1; i <= NR; i++) if (best < 0 || (t[i] - f * wall) ^ 2 < best) { best = (t[i] - f * wall) ^ 2; bi = i }
    return r[bi] / 1024
  }
  END {
    if (hwm > max) max = hwm
    printf "photos: %d (%d analysed, %d failed), faces found: %d\n", n, analyzed, failed, faces
    printf "time: %.1f s wall (indexer %.1f s): %.1f photos/s\n", wall, indexer_s, n / wall
    printf "peak RSS: %.0f MB; RSS at 10%%/50%%/90%% of the run: %.0f / %.0f / %.0f MB (%d samples)\n",
           max / 1024, at(0.1), at(0.5), at(0.9), NR
  }' "$rss_out"
echo "RSS samples (s, kB): $rss_out"

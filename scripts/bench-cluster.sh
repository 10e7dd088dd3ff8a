#!/bin/sh
# Cluster benchmarks (docs/BENCHMARKS.md, "Cluster mode"):
#  1. no-op jobs/s end to end through head + 2 workers (the queue's own overhead);
#  2. real photos with 1 worker and with 2 workers: wall time and each worker's CPU seconds.
# Usage: scripts/bench-cluster.sh BUILD_DIR PHOTO_DIR [NOOP_JOBS]
set -eu
BUILD=${1:?build dir}
PHOTOS=${2:?photo folder}
JOBS=${3:-20000}
FACETAG="$BUILD/tools/cli/facetag"
BENCH="$BUILD/tools/bench/cluster_queue_bench"
TMP=$(mktemp -d)
PORT=$((20000 + $$ % 20000))
export FACETAG_CLUSTER_TOKEN="bench-$$-$(date +%s)"
URL="nats://127.0.0.1:$PORT"
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

start_head() { # $1: db
  "$FACETAG" head --db "$1" --nats-port "$PORT" --detector tiny >>"$TMP/head.log" 2>&1 &
  HEAD=$!
  PIDS="$PIDS $HEAD"
  until "$FACETAG" cluster status --head "$URL" >/dev/null 2>&1; do sleep 0.1; done
}
stop_head() { kill "$HEAD"; wait "$HEAD" || true; }
# CPU seconds (user + system) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

echo "== no-op jobs: head + 2 workers (fetch batch 64) =="
start_head "$TMP/noop.db"
"$FACETAG" worker --head "$URL" --name noop1 --batch 64 --detector tiny >>"$TMP/w.log" 2>&1 & W1=$!
"$FACETAG" worker --head "$URL" --name noop2 --batch 64 --detector tiny >>"$TMP/w.log" 2>&1 & W2=$!
PIDS="$PIDS $W1 $W2"
until [ "$("$FACETAG" cluster status --json --head "$URL" | grep -o '"name"' | wc -l)" -ge 2 ]; do sleep 0.1; done
"$BENCH" --head "$URL" --jobs 2000 >/dev/null  # warm-up
for i in 1 2 3; do "$BENCH" --head "$URL" --jobs "$JOBS"; done
kill $W1 $W2; wait $W1 $W2 || true
stop_head

for n in 1 2; do
  echo "== real photos ($PHOTOS), ssd detector, $n worker(s) with 1 thread each =="
  start_head "$TMP/real$n.db"
  WPIDS=""
  for i in $(seq 1 "$n"); do
    "$FACETAG" worker --head "$URL" --name "real$i" --threads 1 >>"$TMP/w.log" 2>&1 &
    WPIDS="$WPIDS $!"
  done
  PIDS="$PIDS $WPIDS"
  until [ "$("$FACETAG" cluster status --json --head "$URL" | grep -o '"name"' | wc -l)" -ge "$n" ]; do sleep 0.1; done
  before=""
  for p in $WPIDS; do before="$before $(cpu_s "$p")"; done
  start=$(date +%s.%N)
  "$FACETAG" index --head "$URL" --json "$PHOTOS" | sed 's/"failures".*//' | cut -c1-160
  end=$(date +%s.%N)
  k=1
  for p in $WPIDS; do
    b=$(echo "$before" | cut -d' ' -f$((k + 1)))
    echo "  worker real$k: $(echo "$(cpu_s "$p") - $b" | bc) CPU s"
    k=$((k + 1))
  done
  echo "  wall: $(echo "$end - $start" | bc) s"
  kill $WPIDS; wait $WPIDS || true
  stop_head
done

#!/usr/bin/env bash
# Load benchmark of `facetag serve`: a temp catalog with the 8 faces-bbt people registered over
# HTTP, then wrk with 1000 keep-alive connections POSTing a one-face JPEG to /api/v1/recognize,
# while /healthz is polled. Usage: scripts/bench-serve.sh [BUILD_DIR] [extra serve flags...]
# With --record-events among the flags, the server is then stopped (SIGTERM: pending events are
# stored) and the events in the catalog are counted against the recognitions it answered.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
shift || true
facetag="$build/tools/cli/facetag"
bbt="$here/../tests/data/faces-bbt"
connections="${CONNECTIONS:-1000}"
duration="${DURATION:-15s}"
port="${PORT:-18089}"
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

for tool in wrk curl convert; do
  command -v "$tool" > /dev/null || { echo "bench-serve: needs $tool (apt-get install wrk curl imagemagick)" >&2; exit 1; }
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
"$facetag" serve --db "$tmp/catalog.db" --listen "127.0.0.1:$port" "$@" 2> "$tmp/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/readyz" > /dev/null || { cat "$tmp/serve.log"; exit 1; }

# Register crop 1 of each person.
for person in $(tail -n +2 "$bbt/labels.csv" | cut -d, -f2 | sort -u); do
  id=$(curl -sf -H 'Content-Type: application/json' -d "{\"name\":\"$person\"}" \
    "http://127.0.0.1:$port/api/v1/persons" | sed 's/.*"id":\([0-9]*\).*/\1/')
  curl -sf -H 'Content-Type: image/png' --data-binary "@$bbt/$person/${person}1.png" \
    "http://127.0.0.1:$port/api/v1/persons/$id/faces" > /dev/null
done

# The posted photo: a one-face crop as JPEG.
convert "$bbt/leonard/leonard2.png" -quality 92 "$tmp/face.jpg"
curl -sf -H 'Content-Type: image/jpeg' --data-binary "@$tmp/face.jpg" "http://127.0.0.1:$port/api/v1/recognize"
echo

# /healthz during the run: count answers that were not 200 within 2 s.
(
  bad=0; n=0
  end=$((SECONDS + ${duration%s} + 2))
  while (( SECONDS < end )); do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)
    n=$((n + 1)); [[ "$code" == 200 ]] || bad=$((bad + 1))
    sleep 0.5
  done
  echo "healthz polls $n, failed $bad" > "$tmp/healthz.txt"
) &
poller=$!

# The server's CPU seconds over the run: recognitions per CPU second compares configurations
# even when other jobs share the machine.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$server_pid/stat"; }
recognitions() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^facetag_recognitions_total/ {print $2}'; }
# Cumulative bucket counts of answered (200) recognitions, "le count" per line.
answered_buckets() {
  curl -s "http://127.0.0.1:$port/metrics" |
    sed -n 's|^facetag_http_request_duration_seconds_bucket{route="/api/v1/recognize",status="200",le="\([^"]*\)"} \(.*\)|\1 \2|p'
}
cpu_before=$(cpu_seconds)
recognitions_before=$(recognitions)
answered_buckets > "$tmp/buckets.before"
FACETAG_BENCH_IMAGE="$tmp/face.jpg" wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"$duration" --latency --timeout 10s \
  -s "$here/bench/recognize.lua" "http://127.0.0.1:$port/api/v1/recognize"
cpu_after=$(cpu_seconds)
recognitions_after=$(recognitions)
answered_buckets > "$tmp/buckets.after"
wait "$poller"
cat "$tmp/healthz.txt"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^facetag_(batch_size_(sum|count)|rejected_requests_total|descriptors_total|recognitions_total|model_latency_seconds_(sum|count))'
awk -v a="$cpu_before" -v b="$cpu_after" -v n="$((recognitions_after - recognitions_before))" \
  'BEGIN {printf "server_cpu_seconds %.1f\nrecognitions_per_server_cpu_second %.1f\n", b - a, n / (b - a)}'
# p50/p99 of the answered recognitions alone (wrk's are over all answers, mostly held 503s),
# interpolated inside the server's histogram buckets as Prometheus' histogram_quantile does.
awk 'NR == FNR { before[$1] = $2; next } { m = FNR; le[m] = $1; n[m] = $2 - before[$1] }
  END {
    total = n[m]
    split("50 99", qs, " ")
    for (k = 1; k <= 2; ++k) {
      rank = total * qs[k] / 100; lo = 0; below = 0
      for (i = 1; i <= m; ++i) {
        if (n[i] >= rank) {
          hi = (le[i] == "+Inf") ? lo : le[i]
          v = (n[i] == below) ? hi : lo + (hi - lo) * (rank - below) / (n[i] - below)
          printf "answered_p%s_ms %.0f (server side, histogram)\n", qs[k], v * 1000
          break
        }
        lo = le[i]; below = n[i]
      }
    }
  }' "$tmp/buckets.before" "$tmp/buckets.after"

# Recognition events: one per face, and the posted crop has one face, so every recognition the
# server answered (facetag_recognitions_total, counted before the answer is sent) must have its
# event once the server has stopped.
if [[ " $* " == *" --record-events "* ]]; then
  # Requests still queued when wrk stopped are answered after it: wait until the count settles.
  recognitions_final=$(recognitions)
  for _ in $(seq 1 20); do
    sleep 0.5
    now=$(recognitions)
    [[ "$now" == "$recognitions_final" ]] && break
    recognitions_final=$now
  done
  # The event writer's own CPU time (its thread is named facetag-events): what recording costs
  # the server, measured directly rather than as a difference of two noisy runs.
  for task in /proc/"$server_pid"/task/*; do
    if [[ "$(cat "$task/comm" 2>/dev/null)" == facetag-events ]]; then
      awk -v hz="$(getconf CLK_TCK)" -v total="$(cpu_seconds)" '{s = ($14 + $15) / hz;
        printf "events_writer_cpu_seconds %.2f (%.2f%% of the server'"'"'s %.1f)\n", s, 100 * s / total, total}' "$task/stat"
    fi
  done
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
  events=$("$facetag" events --db "$tmp/catalog.db" --count)
  echo "recognitions_total $recognitions_final"
  echo "events_in_catalog $events"
  if [[ "$events" == "$recognitions_final" ]]; then
    echo "every answered recognition has its event: yes"
  else
    echo "every answered recognition has its event: NO ($events events for $recognitions_final recognitions)"
    exit 1
  fi
fi

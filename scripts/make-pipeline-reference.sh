#!/usr/bin/env bash
# Regenerates tests/data/reference/pipeline.jsonl: face-api.js's own output (the peer in
# ../shared/peers/faceapi-node) for the whole pipeline on photos facetag was never tuned on:
# the group photos of ../shared/data/faces-bbt and the demo photos of the face-api package.
# File names are relative: "faces-bbt/..." to shared/data, "face-api/..." to the npm package.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
shared=${FACETAG_SHARED_DIR:-$root/../shared}
peer_dir=$(bash "$shared/peers/faceapi-node/setup.sh")
export FACEAPI_PEER_DIR=$peer_dir
out=$root/tests/data/reference/pipeline.jsonl
files=()
for i in 1 2 3 4 5; do files+=("$shared/data/faces-bbt/bbt$i.jpg"); done
for i in 1 2 3 4 5 6; do files+=("$FACETAG_PACKAGE_DIR/demo/sample$i.jpg"); done
node "$shared/peers/faceapi-node/faces.js" "${files[@]}" |
  sed -e "s#\"file\":\"$shared/data/#\"file\":\"#" -e "s#\"file\":\"$FACETAG_PACKAGE_DIR/#\"file\":\"face-api/#" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l < "$out") photos)"

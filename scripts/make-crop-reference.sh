#!/usr/bin/env bash
# Regenerates the face-api.js reference outputs that the recognition and landmark net tests
# compare against, produced by face-api.js itself (the peer in ../shared/peers/faceapi-node):
#   tests/data/reference/crops.jsonl      descriptors of the 40 face crops of faces-bbt, with
#                                         --crop (the whole crop is the face: no detection)
#   tests/data/reference/landmarks.jsonl  the full pipeline (SSD box, 68 landmarks, descriptor)
#                                         on the same crops and on the five group photos
# File names are relative to shared/data ("faces-bbt/amy/amy1.png"). Landmarks and descriptors
# are rounded to 6 decimals to keep the files small; boxes stay exact, since the tests feed them
# to facetag's nets as input.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
shared=${FACETAG_SHARED_DIR:-$root/../shared}
peer_dir=$(bash "$shared/peers/faceapi-node/setup.sh")
export FACEAPI_PEER_DIR=$peer_dir
peer=$shared/peers/faceapi-node/faces.js
out=$root/tests/data/reference

cd "$shared/data"
crops=()
while IFS=, read -r file _person; do
  crops+=("faces-bbt/${file%$'\r'}")
done < <(tail -n +2 faces-bbt/labels.csv)
groups=(faces-bbt/bbt1.jpg faces-bbt/bbt2.jpg faces-bbt/bbt3.jpg faces-bbt/bbt4.jpg faces-bbt/bbt5.jpg)

round='
const r = (v) => Math.round(v * 1e6) / 1e6;
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const j = JSON.parse(line);
  for (const f of j.faces || []) {
    if (f.landmarks) f.landmarks = f.landmarks.map(([x, y]) => [r(x), r(y)]);
    if (f.descriptor) f.descriptor = f.descriptor.map(r);
  }
  console.log(JSON.stringify(j));
});'

node "$peer" --crop "${crops[@]}" | node -e "$round" > "$out/crops.jsonl.tmp"
mv "$out/crops.jsonl.tmp" "$out/crops.jsonl"
node "$peer" "${crops[@]}" "${groups[@]}" | node -e "$round" > "$out/landmarks.jsonl.tmp"
mv "$out/landmarks.jsonl.tmp" "$out/landmarks.jsonl"
echo "wrote $out/crops.jsonl ($(wc -l < "$out/crops.jsonl") crops), $out/landmarks.jsonl ($(wc -l < "$out/landmarks.jsonl") photos)"

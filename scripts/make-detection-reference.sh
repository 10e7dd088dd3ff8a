#!/usr/bin/env bash
# Regenerates the face-api.js reference detections that the detector tests compare against,
# produced by face-api.js itself (the peer in ../shared/peers/faceapi-node):
#   tests/data/reference/detections.jsonl       SSD MobileNetV1 (face-api's default options)
#   tests/data/reference/detections-tiny.jsonl  tiny face detector (inputSize 416, score 0.5)
# on the five group photos of faces-bbt and face-api's six demo photos. One line per photo:
# {"file", "faces": [{"box": [x, y, w, h], "score"}]}, best score first, rounded to 3 decimals.
# File names: "faces-bbt/bbt1.jpg" is relative to shared/data, "face-api/demo/sample1.jpg" to the
# folder holding the unpacked npm package ($FACETAG_FACEAPI_PACKAGE_DIR, which scripts/setup.sh
# fills; the tests look the demo photos up there).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
shared=${FACETAG_SHARED_DIR:-$root/../shared}
peer_dir=$(bash "$shared/peers/faceapi-node/setup.sh")
export FACEAPI_PEER_DIR=$peer_dir
peer=$shared/peers/faceapi-node/faces.js
out=$root/tests/data/reference
package=$FACETAG_FACEAPI_PACKAGE_DIR
[ -f "$package/demo/sample1.jpg" ] || { echo "no face-api package in $package: run scripts/setup.sh" >&2; exit 1; }

# Absolute, resolved paths: the peer echoes them, and `trim` strips these prefixes again.
data=$(cd "$shared/data" && pwd)
package=$(cd "$package" && pwd)
photos=()
for i in 1 2 3 4 5; do photos+=("$data/faces-bbt/bbt$i.jpg"); done
for i in 1 2 3 4 5 6; do photos+=("$package/demo/sample$i.jpg"); done

# Keeps file, box and score; turns absolute paths into the names the tests resolve.
trim='
const [data, pkg] = process.argv.slice(1);
const r = (v) => Math.round(v * 1e3) / 1e3;
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const j = JSON.parse(line);
  if (j.error) throw new Error(`${j.file}: ${j.error}`);
  let file = j.file;
  if (file.startsWith(data + "/")) file = file.slice(data.length + 1);
  else if (file.startsWith(pkg + "/")) file = "face-api/" + file.slice(pkg.length + 1);
  else throw new Error(`unexpected path ${file}`);
  const faces = j.faces.map((f) => ({ box: f.box.map(r), score: r(f.score) }));
  console.log(JSON.stringify({ file, faces }));
});'

node "$peer" "${photos[@]}" | node -e "$trim" "$data" "$package" > "$out/detections.jsonl.tmp"
mv "$out/detections.jsonl.tmp" "$out/detections.jsonl"
node "$peer" --tiny "${photos[@]}" | node -e "$trim" "$data" "$package" > "$out/detections-tiny.jsonl.tmp"
mv "$out/detections-tiny.jsonl.tmp" "$out/detections-tiny.jsonl"
echo "wrote $out/detections.jsonl and $out/detections-tiny.jsonl ($(wc -l < "$out/detections.jsonl") photos each)"

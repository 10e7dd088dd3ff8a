#!/usr/bin/env bash
# Regenerates every reference output the tests compare facetag against, each produced by
# face-api.js itself (the peer in ../shared/peers/faceapi-node), into tests/data/reference/:
#   pipeline.jsonl         whole pipeline (box, score, 68 landmarks, descriptor), exact numbers,
#                          on the 5 faces-bbt group photos and face-api's 6 demo photos
#   detections.jsonl       the same photos, SSD boxes and scores only, rounded to 3 decimals
#   detections-tiny.jsonl  the same with the tiny detector (inputSize 416, score 0.5)
#   crops.jsonl            descriptors of the 40 faces-bbt crops (--crop: the crop is the face)
#   landmarks.jsonl        whole pipeline on the crops and the group photos, rounded to 6 decimals
# File names are relative: "faces-bbt/..." to tests/data, "face-api/..." to the unpacked npm
# package ($FACETAG_FACEAPI_PACKAGE_DIR, filled by scripts/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
shared=$(cd "${FACETAG_SHARED_DIR:-$root/../shared}" && pwd)
FACEAPI_PEER_DIR=$(bash "$shared/peers/faceapi-node/setup.sh")
export FACEAPI_PEER_DIR
peer=$shared/peers/faceapi-node/faces.js
out=$root/tests/data/reference
[ -f "$FACETAG_FACEAPI_PACKAGE_DIR/demo/sample1.jpg" ] || { echo "no face-api package: run scripts/setup.sh" >&2; exit 1; }
data=$root/tests/data
package=$(cd "$FACETAG_FACEAPI_PACKAGE_DIR" && pwd)

groups=() photos=() crops=()
for i in 1 2 3 4 5; do groups+=("$data/faces-bbt/bbt$i.jpg"); done
photos=("${groups[@]}")
for i in 1 2 3 4 5 6; do photos+=("$package/demo/sample$i.jpg"); done
while IFS=, read -r file _person; do crops+=("$data/faces-bbt/${file%$'\r'}"); done < <(tail -n +2 "$data/faces-bbt/labels.csv")

# Reshapes the peer's lines: relative file names, and `digits` decimals (0: exact), keeping only
# box and score when `boxes_only` is set. Otherwise boxes stay exact, since tests feed them to
# facetag's nets as input. Fails on any error line.
shape='
const [data, pkg, digits, boxesOnly] = process.argv.slice(1);
const k = 10 ** Number(digits);
const r = (v) => (k > 1 ? Math.round(v * k) / k : v);
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const j = JSON.parse(line);
  if (j.error) throw new Error(`${j.file}: ${j.error}`);
  let file = j.file;
  if (file.startsWith(data + "/")) file = file.slice(data.length + 1);
  else if (file.startsWith(pkg + "/")) file = "face-api/" + file.slice(pkg.length + 1);
  else throw new Error(`unexpected path ${file}`);
  const faces = j.faces.map((f) => {
    const o = {};
    if (f.box) { o.box = boxesOnly === "1" ? f.box.map(r) : f.box; o.score = r(f.score); }
    if (boxesOnly === "1") return o;
    if (f.landmarks) o.landmarks = f.landmarks.map(([x, y]) => [r(x), r(y)]);
    if (f.descriptor) o.descriptor = f.descriptor.map(r);
    return o;
  });
  console.log(JSON.stringify({ file, faces }));
});'

# make NAME DIGITS BOXES_ONLY PEER_ARGS...: one reference file, written whole or not at all.
make() {
  local name=$1 digits=$2 boxes_only=$3
  shift 3
  node "$peer" "$@" | node -e "$shape" "$data" "$package" "$digits" "$boxes_only" > "$out/$name.tmp"
  mv "$out/$name.tmp" "$out/$name"
  echo "wrote $out/$name ($(wc -l < "$out/$name") images)"
}

make pipeline.jsonl 0 0 "${photos[@]}"
make detections.jsonl 3 1 "${photos[@]}"
make detections-tiny.jsonl 3 1 --tiny "${photos[@]}"
make crops.jsonl 6 0 --crop "${crops[@]}"
make landmarks.jsonl 6 0 "${crops[@]}" "${groups[@]}"

#!/usr/bin/env bash
# The main job on a fresh machine: set up, then find the faces in face-api's sample photos.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"
"$FACETAG_BUILD_DIR/tools/cli/facetag" faces "$FACETAG_PACKAGE_DIR"/demo/sample*.jpg

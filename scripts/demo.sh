#!/usr/bin/env bash
# The main job on a fresh machine: set up, index face-api's sample photos into a demo catalog,
# and show the people found (faces grouped by person).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"
facetag="$FACETAG_BUILD_DIR/tools/cli/facetag"
export FACETAG_DB=${FACETAG_DB:-$FACETAG_CACHE/demo/catalog.db}
mkdir -p "$(dirname "$FACETAG_DB")"
"$facetag" index "$FACETAG_PACKAGE_DIR/demo"
"$facetag" people
echo "(catalog: $FACETAG_DB; try: $facetag name 1 Alice, $facetag together Alice, $facetag export --json)"

# Paths shared by the scripts; each may be overridden from the environment.
# shellcheck shell=bash
: "${FACETAG_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${FACETAG_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/facetag}"
: "${FACETAG_BUILD_DIR:=$FACETAG_ROOT/build}"
: "${FACETAG_PACKAGE_DIR:=$FACETAG_CACHE/npm/face-api-1.7.15/package}"
: "${FACETAG_MODEL_DIR:=$FACETAG_CACHE/models/face-api-1.7.15}"
: "${FACETAG_FACEAPI_PACKAGE_DIR:=$FACETAG_PACKAGE_DIR}"
export FACETAG_ROOT FACETAG_CACHE FACETAG_BUILD_DIR FACETAG_PACKAGE_DIR FACETAG_MODEL_DIR FACETAG_FACEAPI_PACKAGE_DIR

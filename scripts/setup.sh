#!/usr/bin/env bash
# Everything facetag needs before it can run, idempotent (a second run takes seconds):
#   1. Debian packages (apt) when any is missing,
#   2. the face-api model package via `npm pack`, checked against models/face-api.lock,
#   3. the build (CMake + Ninja, into build/),
#   4. the model conversion to ONNX, cached in $FACETAG_MODEL_DIR.
# With --tests it also installs what only the tests need (ImageMagick, clang's fuzzer runtime,
# Chromium, Prometheus, and the npm packages of tests/web and tests/storage).
# `setup.sh --list-packages [--tests]` prints the Debian packages it would install and exits.
# Under CI=true it always runs `apt-get update` and installs every named package at Debian's
# current version (upgrading older ones), so CI meets what a fresh machine gets.
# macOS: install the Homebrew equivalents first (docs/INSTALL.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"

apt_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libopencv-dev libturbojpeg0-dev libpng-dev libwebp-dev libheif-dev libexif-dev
  nlohmann-json3-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libssl-dev libhnswlib-dev
  # The HTTP service (Boost.Beast/Asio), cluster mode (NATS JetStream), the oneDNN backend.
  libboost-dev libnats-dev nats-server libdnnl-dev
  # facetag annotate's HTTP client; photos in S3-compatible storage (libcurl signs with SigV4,
  # libexpat parses the ListObjectsV2 XML).
  libcurl4-openssl-dev libexpat1-dev
  # XMP sidecars and embedded XMP (facetag xmp, names from MWG face regions at index time).
  libexiv2-dev
)
# Only the tests: image fixtures, the fuzzer's runtime, the browser of the web UI's test, and
# Prometheus for Service.PrometheusScrape (which runs its own; the package's service is not used),
# exiftool, the independent reader and writer of MWG face regions for the XMP tests.
test_packages=(imagemagick libheif-examples clang libclang-rt-14-dev chromium prometheus libimage-exiftool-perl)
list_only=false with_tests=false
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=true ;;
    --list-packages) list_only=true ;;
    *) echo "usage: setup.sh [--tests] [--list-packages]" >&2; exit 2 ;;
  esac
done
$with_tests && apt_packages+=("${test_packages[@]}")
# A Node.js from elsewhere (NodeSource, nvm) brings its own npm; Debian's would conflict with it.
command -v npm >/dev/null || apt_packages+=(nodejs npm)
if $list_only; then
  printf '%s\n' "${apt_packages[@]}"
  exit 0
fi

log() { printf '[setup] %s\n' "$*" >&2; }

install_debian_packages() {
  command -v dpkg-query >/dev/null || { log "not Debian: skipping apt (see docs/INSTALL.md)"; return; }
  local missing=()
  if [ "${CI:-}" = "true" ]; then
    missing=("${apt_packages[@]}")  # all of them: apt-get install also upgrades older ones
  else
    for p in "${apt_packages[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
  fi
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

fetch_model_package() {
  local name version sha
  name=$(sed -n 's/^package=//p' "$root/models/face-api.lock")
  version=$(sed -n 's/^version=//p' "$root/models/face-api.lock")
  sha=$(sed -n 's/^sha256=//p' "$root/models/face-api.lock")
  local dir="$FACETAG_CACHE/npm/face-api-$version"
  if [ -f "$dir/.verified" ] && [ "$(cat "$dir/.verified")" = "$sha" ]; then return; fi
  log "fetching $name@$version with npm pack"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null)
  local tarball
  tarball=$(ls "$dir"/*.tgz)
  local got
  got=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    log "checksum mismatch for $tarball: expected $sha, got $got"
    rm -rf "$dir"
    exit 1
  fi
  tar -xzf "$tarball" -C "$dir"
  echo "$sha" > "$dir/.verified"
}

build() {
  cmake -S "$root" -B "$FACETAG_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  # The compiler's progress goes to a log; it is shown only when the build fails.
  local build_log="$FACETAG_BUILD_DIR/build.log"
  log "building into $FACETAG_BUILD_DIR (log: $build_log)"
  if ! cmake --build "$FACETAG_BUILD_DIR" -j "$(nproc 2>/dev/null || sysctl -n hw.ncpu)" > "$build_log" 2>&1; then
    cat "$build_log" >&2
    log "build failed"
    exit 1
  fi
}

convert_models() {
  local converter="$FACETAG_BUILD_DIR/tools/convert/facetag-convert"
  # Reconvert whenever the converter or the package changes.
  local stamp
  stamp="$(sha256sum "$converter" | cut -d' ' -f1) $(cat "$FACETAG_PACKAGE_DIR/../.verified")"
  if [ -f "$FACETAG_MODEL_DIR/.stamp" ] && [ "$(cat "$FACETAG_MODEL_DIR/.stamp")" = "$stamp" ]; then return; fi
  log "converting models into $FACETAG_MODEL_DIR"
  mkdir -p "$FACETAG_MODEL_DIR"
  "$converter" "$FACETAG_PACKAGE_DIR/model" "$FACETAG_MODEL_DIR" >/dev/null
  echo "$stamp" > "$FACETAG_MODEL_DIR/.stamp"
}

# The tests' npm packages, each folder pinned by its package-lock.json: the browser test's driver
# (tests/web: playwright-core, which drives Debian's chromium and never downloads a browser) and
# the S3-protocol server of the object storage tests (tests/storage: s3rver). Re-installed only
# when a lock file changes.
install_test_node_modules() {
  local dir stamp sha
  for dir in "$root/tests/web" "$root/tests/storage"; do
    stamp="$dir/node_modules/.facetag-lock-sha256"
    sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sha" ]; then continue; fi
    log "installing test npm packages (npm ci in ${dir#"$root"/})"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
    echo "$sha" > "$stamp"
  done
}

install_debian_packages
fetch_model_package
if $with_tests; then install_test_node_modules; fi
build
convert_models
log "ready: $FACETAG_BUILD_DIR/tools/cli/facetag (models in $FACETAG_MODEL_DIR)"

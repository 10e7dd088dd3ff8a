#!/usr/bin/env bash
# Regenerates the committed image fixtures (tests/data/images) and the fuzzing seed corpus
# (tests/fuzz/corpus) from tests/data/faces-bbt with ImageMagick. Most test inputs are built at
# test time by the tests themselves; these files exist because they come from an encoder other
# than the ones the tests link (an independent check of CMYK inversion, HEIC and AVIF).
# tests/data/images/grid_canvas_bomb.heic is not made here: it is a fuzzer find, kept verbatim as
# a regression input.
#
# Usage: scripts/make-image-fixtures.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/tests/data/faces-bbt/bbt1.jpg"
[[ -f "$src" ]] || { echo "missing $src" >&2; exit 1; }
command -v convert >/dev/null || { echo "needs ImageMagick (convert)" >&2; exit 1; }

fixtures="$root/tests/data/images"
corpus="$root/tests/fuzz/corpus"
mkdir -p "$fixtures" "$corpus"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Metadata stripped everywhere so reruns give byte-identical files (no timestamps).
im() { convert "$@"; }

# 160x90 crop of bbt1.jpg: the lossless reference every fixture is derived from.
im "$src" -strip -resize 160x90! -define png:exclude-chunks=date,time "$fixtures/ref.png"
# Photoshop-style CMYK JPEG (Adobe APP14, inverted samples) from an independent encoder.
im "$fixtures/ref.png" -strip -colorspace CMYK -quality 92 "$fixtures/cmyk.jpg"
# Sampling factors TurboJPEG 2.x has no TJSAMP_* name for (its header call fails on them).
im "$fixtures/ref.png" -strip -sampling-factor 2x1,1x2,1x1 -quality 90 "$fixtures/odd_sampling.jpg"
im "$fixtures/ref.png" -strip -quality 60 "$fixtures/ref.heic"
im "$fixtures/ref.png" -strip -quality 60 "$fixtures/ref.avif"

# Seed corpus: tiny but structurally varied, one file per decoder path.
im "$src" -strip -resize 24x16! "$tmp/tiny.png"
im "$tmp/tiny.png" -strip -quality 80 "$corpus/baseline.jpg"
im "$tmp/tiny.png" -strip -quality 80 -interlace JPEG "$corpus/progressive.jpg"
im "$tmp/tiny.png" -strip -colorspace CMYK -quality 80 "$corpus/cmyk.jpg"
im "$tmp/tiny.png" -strip -colorspace Gray -quality 80 "$corpus/gray.jpg"
im "$tmp/tiny.png" -strip -sampling-factor 2x1,1x2,1x1 -quality 80 "$corpus/odd_sampling.jpg"
# EXIF Orientation=6 (big-endian TIFF, one IFD0 entry) spliced in after SOI by hand: ImageMagick
# only writes the tag into an EXIF profile that already exists.
app1='\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00'
{ head -c 2 "$corpus/baseline.jpg"; printf "$app1"; tail -c +3 "$corpus/baseline.jpg"; } > "$corpus/orient6.jpg"
# ImageMagick carries that EXIF block over into a PNG eXIf chunk and a WebP EXIF chunk.
im "$corpus/orient6.jpg" -define png:exclude-chunks=date,time,text "$corpus/orient6.png"
im "$corpus/orient6.jpg" -quality 70 "$corpus/orient6.webp"
im "$tmp/tiny.png" -define png:exclude-chunks=date,time "$corpus/rgb.png"
im "$tmp/tiny.png" -alpha set -channel A -evaluate set 50% +channel -depth 16 -define png:exclude-chunks=date,time \
  "PNG64:$corpus/rgba16.png"
im "$tmp/tiny.png" -colors 16 -define png:exclude-chunks=date,time "PNG8:$corpus/palette.png"
im "$tmp/tiny.png" -colorspace Gray -interlace PNG -define png:exclude-chunks=date,time "$corpus/gray_interlaced.png"
im "$tmp/tiny.png" -quality 70 "$corpus/lossy.webp"
im "$tmp/tiny.png" -define webp:lossless=true "$corpus/lossless.webp"
im "$tmp/tiny.png" -quality 50 "$corpus/tiny.heic"
im "$tmp/tiny.png" -quality 50 "$corpus/tiny.avif"

du -sh "$fixtures" "$corpus"

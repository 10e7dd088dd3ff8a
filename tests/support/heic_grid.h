// HEIC files whose primary image is a grid of HEVC tiles, as phones write them, made at test time.
// libheif 1.15 (Debian 12) decodes grids but cannot write them, and neither can heif-enc or
// ImageMagick on top of it. So libheif encodes each tile as a one-image HEIC, and EncodeHeicGrid
// moves each tile's coded data and properties into a grid file it assembles box by box
// (ISO/IEC 23008-12: a 'grid' item, hidden 'hvc1' tile items joined by 'dimg' references).
#pragma once

#include <cstdint>
#include <vector>

#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::testing {

// Tiles are tile_size x tile_size, in raster order; the right column and bottom row overhang the
// image when its size is not a multiple of tile_size, and are filled by repeating the edge pixels
// (as encoders do). The grid's output size, and so the decoded size, is the image's.
Result<std::vector<uint8_t>> EncodeHeicGrid(const Image& image, int tile_size, int quality = 90);

}  // namespace facetag::testing

// A check of a HEIF file's derived images before libheif decodes it: libheif 1.15 (Debian 12)
// asserts, and so aborts the whole process, when an identity-derived image ('iden') names an
// item that is not an image. A file that does so is corrupt; this finds it first. It also refuses
// (as unsupported) a derived image made from another derived image, which libheif decodes
// without the canvas limit a top-level image gets.
#pragma once

#include <cstdint>
#include <span>

#include "facetag/status.h"

namespace facetag::image_internal {

// For a file with 'iden' or 'iovl' items: Corrupt when its item boxes are malformed or a derived
// image ('grid', 'iden', 'iovl') of its 'meta' box is made from an item that is no image (none of
// hvc1, av01, grid, iden, iovl: libheif's image types); Unsupported when it is made from another
// derived image. Ok for every other file: libheif reports what it cannot read itself.
Status CheckHeifDerivedImages(std::span<const uint8_t> bytes);

}  // namespace facetag::image_internal

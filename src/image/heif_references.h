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

// Corrupt when an 'iden' or 'iovl' item of the file's 'meta' box derives from an item that is no
// image (none of hvc1, av01, grid, iden, iovl: libheif's image types). Ok for everything else,
// including boxes it cannot read: libheif reports those itself.
Status CheckHeifDerivedImages(std::span<const uint8_t> bytes);

}  // namespace facetag::image_internal

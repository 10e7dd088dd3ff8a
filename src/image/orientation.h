// EXIF Orientation: reading the tag and turning stored pixels into displayed pixels.
#pragma once

#include <cstdint>
#include <span>

#include "facetag/image.h"

namespace facetag::image_internal {

// The Orientation tag (1..8) of an EXIF block; 1 when the block is absent, unreadable or holds an
// out-of-range value. Accepts the TIFF structure with or without the "Exif\0\0" prefix.
int ExifOrientation(std::span<const uint8_t> exif);

// DateTimeOriginal (else DateTime) and the GPS position of an EXIF block (exif_facts.cc); empty
// facts when the block is absent, unreadable or does not say.
PhotoExif ExifFacts(std::span<const uint8_t> exif);

// True for 5..8, whose displayed width is the stored height.
bool OrientationSwapsAxes(int orientation);

// Rotates/flips stored pixels into displayed orientation. Values outside 2..8 return the input.
Image ApplyOrientation(Image image, int orientation);

}  // namespace facetag::image_internal

// Turns a region of a photo into a net input exactly as face-api.js does: pad to a square with
// zeros (padToSquare), resize with TensorFlow's legacy bilinear (align_corners = false,
// half_pixel_centers = false), then normalise. Matching this bit for bit is what keeps our
// descriptors within 1e-3 of face-api's rather than 0.03 (OpenCV's resize differs).
#pragma once

#include "facetag/image.h"

namespace facetag::face {

enum class PadMode {
  kEnd,     // zeros after the image (bottom or right): the detectors
  kCentre,  // zeros split around it, the extra one after: landmarks and descriptors
};

struct Normalization {
  float mean[3] = {0, 0, 0};  // subtracted from R, G, B
  float scale = 1.0f;         // then multiplied
};

// A pixel rectangle; may extend past the image, where it reads as zeros.
struct Region {
  int x = 0, y = 0, width = 0, height = 0;
};

// Writes 3 planes of size x size floats (R, G, B) into `dst`.
void PadResizeNormalize(const Image& image, const Region& region, PadMode pad, int size,
                        const Normalization& norm, float* dst);

}  // namespace facetag::face

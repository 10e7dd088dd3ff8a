// Locates 68 landmarks (dlib/iBUG order) in detected face boxes.
#pragma once

#include <span>
#include <vector>

#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::face {

class Landmarker {
 public:
  virtual ~Landmarker() = default;
  // One set of landmarks per box, in pixels of `image`; batched. Not thread-safe.
  virtual Result<std::vector<Landmarks68>> Locate(const Image& image, std::span<const Box> faces) = 0;
};

}  // namespace facetag::face

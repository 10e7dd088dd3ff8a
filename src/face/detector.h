// A face detector finds face boxes in a photo. face-api's SSD MobileNetV1 and tiny detector
// implement it today; YuNet or SCRFD would plug in behind the same interface.
#pragma once

#include <vector>

#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::face {

struct Detection {
  Box box;  // pixels of `image`, unrounded
  float score = 0;
};

class FaceDetector {
 public:
  virtual ~FaceDetector() = default;
  // Faces in `image`, best score first. Not thread-safe: one caller at a time.
  virtual Result<std::vector<Detection>> Detect(const Image& image) = 0;
};

}  // namespace facetag::face

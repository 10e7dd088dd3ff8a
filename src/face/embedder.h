// Turns aligned face regions into embeddings (descriptors). face-api's ResNet (128-D) implements
// it today; SFace or ArcFace would plug in behind the same interface.
#pragma once

#include <span>
#include <vector>

#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::face {

class FaceEmbedder {
 public:
  virtual ~FaceEmbedder() = default;
  virtual int dimension() const = 0;
  // One embedding per region (regions in pixels of `image`, from AlignmentBox); batched.
  // Not thread-safe.
  virtual Result<std::vector<Embedding>> Embed(const Image& image, std::span<const Box> regions) = 0;
};

}  // namespace facetag::face

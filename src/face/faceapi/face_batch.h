// How face-api feeds face crops to its per-face nets (landmarks, descriptor): each box cropped as
// extractFaceTensors does (FaceApiCrop), padded to a centred square, resized to the net's size and
// normalised; several faces per net run.
#pragma once

#include <functional>
#include <span>

#include "face/preprocess.h"
#include "facetag/face.h"
#include "facetag/image.h"
#include "nn/session.h"

namespace facetag::face {

struct FaceNetSpec {
  const char* model;  // file name, for error messages
  int input_size;     // square side
  Normalization norm;
  int output_size;  // floats per face in the single output
};

// Runs every box of `boxes` through `session` in batches of at most 16 (16 x 3 x 150 x 150
// floats = 4.3 MB bounds the input while keeping batching's gain) and calls `take(i, crop, row)`
// with the i-th face's crop and output row. A box that does not overlap the image is an
// InvalidArgument error.
Status RunFaceBatches(nn::InferenceSession& session, const FaceNetSpec& spec, const Image& image,
                      std::span<const Box> boxes,
                      const std::function<void(size_t, const Region&, const float*)>& take);

}  // namespace facetag::face

// Detection fitted to the image, for recognition requests rather than library photos: requests
// are often one face crop or a small photo. The tiny detector's input is sized to the image (the
// smallest multiple of 32 covering its long side, 128..416), so a 150-pixel crop costs a 160x160
// run instead of 416x416; a small image without a face is searched again inside a border,
// because both detectors miss a face that fills the whole frame (they learnt faces with context
// around them); and an image where the tiny detector still finds nothing is searched with the SSD,
// which finds large faces in wide photos that the tiny detector misses. The SSD keeps its fixed
// 512x512 input.
#pragma once

#include <filesystem>
#include <memory>

#include "face/detector.h"
#include "facetag/engine_options.h"
#include "nn/session.h"

namespace facetag::face {

// `kind`: the detector to start with (kSsd: the SSD only). `tiny` and `ssd`: what each net runs on,
// with `threads` for one detection (0: all cores).
Result<std::unique_ptr<FaceDetector>> OpenFittedDetector(const std::filesystem::path& model_dir,
                                                         DetectorKind kind, nn::Runner tiny, nn::Runner ssd,
                                                         int threads = 0);

}  // namespace facetag::face

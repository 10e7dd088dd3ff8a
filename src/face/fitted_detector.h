// Detection fitted to the image, for recognition requests rather than library photos: requests
// are often one face crop or a small photo. The tiny detector's input is sized to the image (the
// smallest multiple of 32 covering its long side, 128..416), so a 150-pixel crop costs a 160x160
// run instead of 416x416; and a small image without a face is searched again inside a border,
// because both detectors miss a face that fills the whole frame (they learnt faces with context
// around them). The SSD keeps its fixed 512x512 input, at `ssd_precision`.
#pragma once

#include <filesystem>
#include <memory>

#include "face/detector.h"
#include "facetag/engine.h"
#include "nn/session.h"

namespace facetag::face {

Result<std::unique_ptr<FaceDetector>> OpenFittedDetector(const std::filesystem::path& model_dir,
                                                         DetectorKind kind, nn::Backend backend,
                                                         nn::Precision ssd_precision = nn::Precision::kF32);

}  // namespace facetag::face

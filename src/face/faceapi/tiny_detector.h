// face-api.js's tiny face detector, run from tiny_face_detector.onnx as
// tools/convert/tiny_face_detector.cc writes it. Detect() reports what face-api's
// detectAllFaces(image, new TinyFaceDetectorOptions({inputSize, scoreThreshold})) reports: same
// boxes (pixels of the image, not clamped: they may stick out of it), same scores, same order.
#pragma once

#include <filesystem>
#include <memory>

#include "face/detector.h"
#include "facetag/status.h"
#include "nn/session.h"

namespace facetag::face {

struct TinyOptions {
  int input_size = 416;    // a multiple of 32; larger finds smaller faces, at quadratic cost
  float min_score = 0.5f;  // face-api's scoreThreshold: keep score > min_score
  float iou = 0.4f;        // face-api's fixed IOU_THRESHOLD
  nn::Precision precision = nn::Precision::kF32;
  int threads = 0;  // for one detection (0: all cores)
};

Result<std::unique_ptr<FaceDetector>> OpenFaceApiTinyDetector(const std::filesystem::path& model_dir,
                                                              nn::Backend backend,
                                                              const TinyOptions& options = {});

}  // namespace facetag::face

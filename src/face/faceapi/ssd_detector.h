// face-api.js's SSD MobileNetV1 face detector (its default), run from ssd_mobilenetv1.onnx plus
// ssd_mobilenetv1_anchors.bin as tools/convert/ssd_mobilenetv1.cc writes them. Detect() reports
// what face-api's detectAllFaces(image, new SsdMobilenetv1Options()) reports: same boxes (pixels
// of the image, clamped to the padded square the way face-api clamps them), same scores, same order.
#pragma once

#include <filesystem>
#include <memory>

#include "face/detector.h"
#include "facetag/status.h"
#include "nn/session.h"

namespace facetag::face {

struct SsdOptions {
  float min_score = 0.5f;  // face-api's minConfidence: keep score > min_score
  int max_faces = 100;     // face-api's maxResults
  float iou = 0.5f;        // suppress a box whose IoU with a kept, better one is > iou
  // kInt8 (oneDNN): the same faces as f32 (tests/nn/int8_parity_test.cc), the net ~1.35x faster
  // on AVX2, but boxes ~2% off, enough to move descriptors past parity downstream.
  nn::Precision precision = nn::Precision::kF32;
  int threads = 0;  // for one detection (0: all cores)
};

// How the detector opens ssd_mobilenetv1.onnx at `precision` (for benchmarks of the bare net).
nn::SessionOptions SsdSessionOptions(nn::Precision precision);

Result<std::unique_ptr<FaceDetector>> OpenFaceApiSsdDetector(const std::filesystem::path& model_dir,
                                                             nn::Backend backend,
                                                             const SsdOptions& options = {});

}  // namespace facetag::face

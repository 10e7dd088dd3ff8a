// The face engine as the service runs it: face-api's nets on the configured backend, the same
// steps as the library's FaceEngine (pipeline/face_steps.h), with the tiny detector's input size
// chosen per image (the smallest multiple of 32 covering its long side, at most 416), so that a
// 150-pixel face crop costs a 160x160 detection instead of 416x416. Per-model latency is
// reported to the metrics. One per worker thread (not thread-safe).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "face/detector.h"
#include "face/embedder.h"
#include "face/landmarker.h"
#include "facetag/engine.h"
#include "nn/session.h"
#include "service/descriptor_batcher.h"
#include "service/metrics.h"

namespace facetag::service {

class ServiceEngine {
 public:
  // With a `batcher`, descriptors are computed there (shared across engines), else here.
  static Result<std::unique_ptr<ServiceEngine>> Open(const EngineOptions& options, Metrics* metrics,
                                                     DescriptorBatcher* batcher = nullptr);
  // Faces with landmarks and embeddings (when `describe`), largest score first.
  Result<std::vector<Face>> Analyze(const Image& image, bool describe = true);

 private:
  static constexpr int kMaxPaddedSide = 400;
  Result<face::FaceDetector*> DetectorFor(const Image& image);
  Result<std::vector<face::Detection>> Detect(const Image& image);
  EngineOptions options_;
  std::filesystem::path model_dir_;
  nn::Backend backend_ = nn::Backend::kOpenCv;
  Metrics* metrics_ = nullptr;
  std::unique_ptr<face::FaceDetector> ssd_;
  std::map<int, std::unique_ptr<face::FaceDetector>> tiny_;  // by input size
  std::unique_ptr<face::Landmarker> landmarker_;
  std::unique_ptr<face::FaceEmbedder> embedder_;  // null with a batcher
  DescriptorBatcher* batcher_ = nullptr;
};

}  // namespace facetag::service

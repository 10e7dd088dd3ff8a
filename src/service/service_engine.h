// The face engine as the service runs it: the library's steps (pipeline/face_steps.h) on the
// configured backend with the detector fitted to each image (face/fitted_detector.h), per-model
// latency reported to the metrics, and descriptors optionally computed by the shared batcher.
// One per worker thread (not thread-safe).
#pragma once

#include <memory>
#include <vector>

#include "face/detector.h"
#include "face/embedder.h"
#include "face/fitted_detector.h"
#include "face/landmarker.h"
#include "facetag/engine.h"
#include "service/descriptor_batcher.h"
#include "service/metrics.h"

namespace facetag::service {

class ServiceEngine {
 public:
  // With a `batcher`, descriptors are computed there (shared across engines), else here.
  static Result<std::unique_ptr<ServiceEngine>> Open(const EngineOptions& options, Metrics* metrics,
                                                     DescriptorBatcher* batcher = nullptr);
  // kFast: the detector fitted to the image (the SSD only where it finds nothing); kAccurate: the
  // SSD, for registering and verifying, where a missed face or a loose box costs more than time.
  enum class Detection { kFast, kAccurate };
  // Faces with landmarks and embeddings (when `describe`), largest score first.
  Result<std::vector<Face>> Analyze(const Image& image, bool describe = true,
                                    Detection detection = Detection::kFast);

 private:
  Result<std::vector<Embedding>> Describe(const Image& image, const std::vector<Box>& regions);
  Metrics* metrics_ = nullptr;
  std::unique_ptr<face::FittedDetector> detector_;
  std::unique_ptr<face::Landmarker> landmarker_;
  std::unique_ptr<face::FaceEmbedder> embedder_;  // null with a batcher
  DescriptorBatcher* batcher_ = nullptr;
};

}  // namespace facetag::service

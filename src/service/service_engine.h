// The face engine as the service runs it: the library's steps (pipeline/face_steps.h) on the
// configured backend with the detector fitted to each image (face/fitted_detector.h), per-model
// latency reported to the metrics, and descriptors optionally computed by the shared batcher.
// One per worker thread (not thread-safe).
#pragma once

#include <memory>
#include <vector>

#include "face/detector.h"
#include "face/embedder.h"
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
  // Faces with landmarks and embeddings (when `describe`), largest score first. Registering,
  // verifying and recognizing all detect alike (the fitted detector, the SSD where it finds
  // nothing): a face registered through another detector than the one recognition uses gets a
  // slightly different crop, and recognition of the faces-bbt crops dropped from 29-30 to 28 of
  // 32 when registration used the SSD.
  Result<std::vector<Face>> Analyze(const Image& image, bool describe = true);

 private:
  Result<std::vector<Embedding>> Describe(const Image& image, const std::vector<Box>& regions);
  Metrics* metrics_ = nullptr;
  std::unique_ptr<face::FaceDetector> detector_;
  std::unique_ptr<face::Landmarker> landmarker_;
  std::unique_ptr<face::FaceEmbedder> embedder_;  // null with a batcher
  DescriptorBatcher* batcher_ = nullptr;
};

}  // namespace facetag::service

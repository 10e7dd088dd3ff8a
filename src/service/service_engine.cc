#include "service/service_engine.h"

#include <chrono>

#include "face/faceapi/alignment.h"
#include "face/faceapi/landmark_net.h"
#include "face/faceapi/recognition_net.h"
#include "face/fitted_detector.h"
#include "facetag/models.h"
#include "pipeline/face_steps.h"

namespace facetag::service {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

Result<std::unique_ptr<ServiceEngine>> ServiceEngine::Open(const EngineOptions& options, Metrics* metrics,
                                                           DescriptorBatcher* batcher) {
  auto engine = std::unique_ptr<ServiceEngine>(new ServiceEngine());
  engine->batcher_ = batcher;
  engine->metrics_ = metrics;
  const auto dir = options.model_dir.empty() ? DefaultModelDir() : options.model_dir;
  auto runners = pipeline::ResolveNetRunners(options);
  if (!runners.ok()) return runners.status();
  auto detector = face::OpenFittedDetector(dir, options.detector, runners->tiny, runners->ssd);
  if (!detector.ok()) return detector.status();
  engine->detector_ = std::move(*detector);
  auto landmarker = face::OpenFaceApiLandmarker(dir, runners->landmarks.backend, options.face_net_shards,
                                                runners->landmarks.precision);
  if (!landmarker.ok()) return landmarker.status();
  engine->landmarker_ = std::move(*landmarker);
  if (batcher) return engine;
  auto embedder = face::OpenFaceApiEmbedder(dir, runners->descriptor.backend, options.face_net_shards,
                                            runners->descriptor.precision);
  if (!embedder.ok()) return embedder.status();
  engine->embedder_ = std::move(*embedder);
  return engine;
}

Result<std::vector<Face>> ServiceEngine::Analyze(const Image& image, bool describe) {
  auto t0 = Clock::now();
  auto detections = detector_->Detect(image);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"detector\"", SecondsSince(t0));
  if (!detections.ok()) return detections.status();
  t0 = Clock::now();
  auto located = pipeline::LocateFaces(image, std::move(*detections), *landmarker_);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"landmarks\"", SecondsSince(t0));
  if (!located.ok()) return located.status();
  std::vector<Face>& faces = located->faces;
  if (faces.empty() || !describe) return std::move(faces);
  auto embeddings = Describe(image, located->descriptor_regions);
  if (!embeddings.ok()) return embeddings.status();
  for (size_t i = 0; i < faces.size(); ++i) faces[i].embedding = std::move((*embeddings)[i]);
  return std::move(faces);
}

Result<std::vector<Embedding>> ServiceEngine::Describe(const Image& image, const std::vector<Box>& regions) {
  if (batcher_) {
    // The batcher gets the exact pixels the net would crop for each region.
    std::vector<face::Region> crops;
    for (const Box& r : regions) {
      auto crop = face::FaceApiCrop(r, image.width, image.height);
      if (!crop) return InvalidArgument("a face's descriptor region is outside the image");
      crops.push_back(*crop);
    }
    return batcher_->Describe(image, crops);
  }
  const auto t0 = Clock::now();
  auto embeddings = embedder_->Embed(image, regions);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"descriptor\"", SecondsSince(t0));
  if (!embeddings.ok()) return embeddings.status();
  metrics_->Observe("facetag_batch_size", "", static_cast<double>(regions.size()));
  metrics_->Add("facetag_descriptors_total", "", static_cast<double>(regions.size()));
  return embeddings;
}

}  // namespace facetag::service

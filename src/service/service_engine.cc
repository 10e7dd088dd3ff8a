#include "service/service_engine.h"

#include <algorithm>
#include <chrono>
#include <opencv2/core.hpp>

#include "face/faceapi/alignment.h"
#include "face/faceapi/landmark_net.h"
#include "face/faceapi/recognition_net.h"
#include "face/faceapi/ssd_detector.h"
#include "face/faceapi/tiny_detector.h"
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
  engine->options_ = options;
  engine->metrics_ = metrics;
  engine->model_dir_ = options.model_dir.empty() ? DefaultModelDir() : options.model_dir;
  engine->backend_ = pipeline::ResolveBackend(options.backend);
  const nn::Backend backend = engine->backend_;
  if (options.detector == DetectorKind::kSsd) {
    auto ssd = face::OpenFaceApiSsdDetector(engine->model_dir_, backend);
    if (!ssd.ok()) return ssd.status();
    engine->ssd_ = std::move(*ssd);
  } else {
    // Load one size now so that missing models fail at start-up, not on the first request.
    face::TinyOptions tiny;
    tiny.input_size = 416;
    auto detector = face::OpenFaceApiTinyDetector(engine->model_dir_, backend, tiny);
    if (!detector.ok()) return detector.status();
    engine->tiny_[416] = std::move(*detector);
  }
  auto landmarker = face::OpenFaceApiLandmarker(engine->model_dir_, backend, options.face_net_shards);
  if (!landmarker.ok()) return landmarker.status();
  engine->landmarker_ = std::move(*landmarker);
  if (batcher) return engine;
  auto embedder = face::OpenFaceApiEmbedder(engine->model_dir_, backend, options.face_net_shards);
  if (!embedder.ok()) return embedder.status();
  engine->embedder_ = std::move(*embedder);
  return engine;
}

Result<face::FaceDetector*> ServiceEngine::DetectorFor(const Image& image) {
  if (ssd_) return ssd_.get();
  const int long_side = std::max(image.width, image.height);
  const int size = std::clamp((long_side + 31) / 32 * 32, 128, 416);
  auto& slot = tiny_[size];
  if (!slot) {
    face::TinyOptions tiny;
    tiny.input_size = size;
    auto detector = face::OpenFaceApiTinyDetector(model_dir_, backend_, tiny);
    if (!detector.ok()) return detector.status();
    slot = std::move(*detector);
  }
  return slot.get();
}

Result<std::vector<face::Detection>> ServiceEngine::Detect(const Image& image) {
  auto detector = DetectorFor(image);
  if (!detector.ok()) return detector.status();
  const auto t0 = Clock::now();
  auto detections = (*detector)->Detect(image);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"detector\"", SecondsSince(t0));
  return detections;
}

Result<std::vector<Face>> ServiceEngine::Analyze(const Image& image, bool describe) {
  auto detections = Detect(image);
  if (!detections.ok()) return detections.status();
  // Both detectors miss a face that fills the whole frame (a face crop, a passport photo):
  // they learnt faces with context around them. A small image without a face is tried again
  // with a border of half its size on every side; the boxes are mapped back.
  if (detections->empty() && std::max(image.width, image.height) <= kMaxPaddedSide) {
    const int pad = std::max(image.width, image.height) / 2;
    Image padded;
    padded.width = image.width + 2 * pad;
    padded.height = image.height + 2 * pad;
    padded.rgb.assign(static_cast<size_t>(padded.width) * padded.height * 3, 0);
    cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
    cv::Mat dst(padded.height, padded.width, CV_8UC3, padded.rgb.data());
    cv::copyMakeBorder(src, dst, pad, pad, pad, pad, cv::BORDER_REPLICATE);
    detections = Detect(padded);
    if (!detections.ok()) return detections.status();
    for (auto& d : *detections) {
      d.box.x -= static_cast<float>(pad);
      d.box.y -= static_cast<float>(pad);
    }
  }
  auto t0 = Clock::now();
  auto located = pipeline::LocateFaces(image, std::move(*detections), *landmarker_);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"landmarks\"", SecondsSince(t0));
  if (!located.ok()) return located.status();
  std::vector<Face>& faces = located->faces;
  const std::vector<Box>& regions = located->descriptor_regions;
  if (faces.empty() || !describe) return std::move(faces);
  if (batcher_) {
    // The batcher gets the exact pixels the net would crop for each region.
    std::vector<face::Region> crops;
    for (const Box& r : regions) {
      auto crop = face::FaceApiCrop(r, image.width, image.height);
      if (!crop) return InvalidArgument("a face's descriptor region is outside the image");
      crops.push_back(*crop);
    }
    auto embeddings = batcher_->Describe(image, crops);
    if (!embeddings.ok()) return embeddings.status();
    for (size_t i = 0; i < faces.size(); ++i) faces[i].embedding = std::move((*embeddings)[i]);
    return std::move(faces);
  }
  t0 = Clock::now();
  auto embeddings = embedder_->Embed(image, regions);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"descriptor\"", SecondsSince(t0));
  if (!embeddings.ok()) return embeddings.status();
  metrics_->Observe("facetag_batch_size", "", static_cast<double>(regions.size()));
  metrics_->Add("facetag_descriptors_total", "", static_cast<double>(regions.size()));
  for (size_t i = 0; i < faces.size(); ++i) faces[i].embedding = std::move((*embeddings)[i]);
  return std::move(faces);
}

}  // namespace facetag::service

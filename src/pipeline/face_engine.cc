// The face-api pipeline: detect -> 68 landmarks -> descriptor region from the landmarks ->
// descriptor, with all faces of a photo batched through each net.
#include <chrono>

#include "face/detector.h"
#include "face/embedder.h"
#include "face/faceapi/alignment.h"
#include "face/faceapi/landmark_net.h"
#include "face/faceapi/recognition_net.h"
#include "face/faceapi/ssd_detector.h"
#include "face/faceapi/tiny_detector.h"
#include "face/landmarker.h"
#include "facetag/engine.h"
#include "facetag/models.h"

namespace facetag {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

class FaceApiEngine final : public FaceEngine {
 public:
  FaceApiEngine(std::unique_ptr<face::FaceDetector> detector, std::unique_ptr<face::Landmarker> landmarker,
                std::unique_ptr<face::FaceEmbedder> embedder)
      : detector_(std::move(detector)), landmarker_(std::move(landmarker)), embedder_(std::move(embedder)) {}

  Result<std::vector<Face>> Analyze(const Image& image) override {
    auto t0 = Clock::now();
    auto detections = detector_->Detect(image);
    times_.detect_ms += MsSince(t0);
    if (!detections.ok()) return detections.status();
    ++times_.photos;
    // face-api silently drops a detection with no pixels inside the photo (the tiny detector's
    // boxes are not clamped); so do we, before the per-face nets would refuse it.
    std::erase_if(*detections, [&](const face::Detection& d) {
      return !face::FaceApiCrop(d.box, image.width, image.height).has_value();
    });
    std::vector<Face> faces(detections->size());
    if (faces.empty()) return faces;

    std::vector<Box> boxes;
    for (const auto& d : *detections) boxes.push_back(d.box);
    t0 = Clock::now();
    auto landmarks = landmarker_->Locate(image, boxes);
    times_.landmarks_ms += MsSince(t0);
    if (!landmarks.ok()) return landmarks.status();

    // face-api caps the descriptor region by the crop the landmarks came from; this matters for
    // faces at the photo's border.
    std::vector<Box> regions;
    for (size_t i = 0; i < boxes.size(); ++i) {
      const auto crop = face::FaceApiCrop(boxes[i], image.width, image.height);
      regions.push_back(crop ? face::AlignmentBox((*landmarks)[i], *crop)
                             : face::AlignmentBox((*landmarks)[i]));
    }
    t0 = Clock::now();
    auto embeddings = embedder_->Embed(image, regions);
    times_.embed_ms += MsSince(t0);
    if (!embeddings.ok()) return embeddings.status();

    for (size_t i = 0; i < faces.size(); ++i) {
      faces[i].box = (*detections)[i].box;
      faces[i].score = (*detections)[i].score;
      faces[i].landmarks = (*landmarks)[i];
      faces[i].embedding = std::move((*embeddings)[i]);
    }
    times_.faces += static_cast<long>(faces.size());
    return faces;
  }

  float match_threshold() const override { return embedder_->match_threshold(); }
  const StageTimes& times() const override { return times_; }

 private:
  std::unique_ptr<face::FaceDetector> detector_;
  std::unique_ptr<face::Landmarker> landmarker_;
  std::unique_ptr<face::FaceEmbedder> embedder_;
  StageTimes times_;
};

}  // namespace

namespace {

nn::Backend ResolveBackend(InferenceBackend backend) {
  switch (backend) {
    case InferenceBackend::kOpenCv:
      return nn::Backend::kOpenCv;
    case InferenceBackend::kOneDnn:
      return nn::Backend::kOneDnn;
    case InferenceBackend::kAuto:
      break;
  }
  return nn::BackendAvailable(nn::Backend::kOneDnn) ? nn::Backend::kOneDnn : nn::Backend::kOpenCv;
}

// The SSD detector's precision (the other nets have no int8 path yet). kAuto is f32: int8 finds
// the same faces but moves boxes enough to move descriptors past parity (docs/BENCHMARKS.md).
nn::Precision ResolvePrecision(nn::Backend, InferencePrecision precision) {
  return precision == InferencePrecision::kInt8 ? nn::Precision::kInt8 : nn::Precision::kF32;
}

}  // namespace

const char* ResolvedBackendName(InferenceBackend backend) { return nn::BackendName(ResolveBackend(backend)); }

const char* ResolvedPrecisionName(InferenceBackend backend, InferencePrecision precision) {
  return nn::PrecisionName(ResolvePrecision(ResolveBackend(backend), precision));
}

Result<std::unique_ptr<FaceEngine>> FaceEngine::Open(const EngineOptions& options) {
  const std::filesystem::path dir = options.model_dir.empty() ? DefaultModelDir() : options.model_dir;
  nn::Backend backend = ResolveBackend(options.backend);
  if (!nn::BackendAvailable(backend)) return Unsupported("this facetag was built without oneDNN");
  face::SsdOptions ssd;
  ssd.precision = ResolvePrecision(backend, options.precision);
  Result<std::unique_ptr<face::FaceDetector>> detector =
      options.detector == DetectorKind::kTiny ? face::OpenFaceApiTinyDetector(dir, backend)
                                              : face::OpenFaceApiSsdDetector(dir, backend, ssd);
  if (!detector.ok()) return detector.status();
  auto landmarker = face::OpenFaceApiLandmarker(dir, backend, options.face_net_shards);
  if (!landmarker.ok()) return landmarker.status();
  auto embedder = face::OpenFaceApiEmbedder(dir, backend, options.face_net_shards);
  if (!embedder.ok()) return embedder.status();
  return std::unique_ptr<FaceEngine>(
      new FaceApiEngine(std::move(*detector), std::move(*landmarker), std::move(*embedder)));
}

Result<std::vector<Face>> AnalyzeDecoded(FaceEngine& engine, const DecodedImage& decoded) {
  auto faces = engine.Analyze(decoded.image);
  if (!faces.ok() || decoded.scale == 1.0) return faces;
  // The photo was decoded at reduced scale: report full-resolution pixels.
  const float up = static_cast<float>(1.0 / decoded.scale);
  for (Face& f : *faces) {
    f.box = {f.box.x * up, f.box.y * up, f.box.width * up, f.box.height * up};
    for (Point& p : f.landmarks) p = {p.x * up, p.y * up};
  }
  return faces;
}

}  // namespace facetag

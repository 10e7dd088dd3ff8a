// The face-api pipeline: detect -> 68 landmarks -> descriptor region from the landmarks ->
// descriptor, with all faces of a photo batched through each net (the shared steps are in
// pipeline/face_steps.h).
#include <chrono>

#include "face/detector.h"
#include "face/embedder.h"
#include "face/faceapi/landmark_net.h"
#include "face/faceapi/recognition_net.h"
#include "face/faceapi/ssd_detector.h"
#include "face/faceapi/tiny_detector.h"
#include "face/fitted_detector.h"
#include "face/landmarker.h"
#include "facetag/engine.h"
#include "facetag/models.h"
#include "pipeline/face_steps.h"

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
    t0 = Clock::now();
    auto located = pipeline::LocateFaces(image, std::move(*detections), *landmarker_);
    times_.landmarks_ms += MsSince(t0);
    if (!located.ok()) return located.status();
    if (located->faces.empty()) return std::move(located->faces);

    t0 = Clock::now();
    auto embeddings = embedder_->Embed(image, located->descriptor_regions);
    times_.embed_ms += MsSince(t0);
    if (!embeddings.ok()) return embeddings.status();
    for (size_t i = 0; i < located->faces.size(); ++i)
      located->faces[i].embedding = std::move((*embeddings)[i]);
    times_.faces += static_cast<long>(located->faces.size());
    return std::move(located->faces);
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

const char* ResolvedBackendName(InferenceBackend backend) {
  return nn::BackendName(pipeline::ResolveBackend(backend));
}

const char* ResolvedPrecisionName(InferenceBackend backend, InferencePrecision precision) {
  return nn::PrecisionName(pipeline::ResolvePrecision(pipeline::ResolveBackend(backend), precision));
}

Result<std::unique_ptr<FaceEngine>> FaceEngine::Open(const EngineOptions& options) {
  const std::filesystem::path dir = options.model_dir.empty() ? DefaultModelDir() : options.model_dir;
  nn::Backend backend = pipeline::ResolveBackend(options.backend);
  if (!nn::BackendAvailable(backend)) return Unsupported("this facetag was built without oneDNN");
  const nn::Precision ssd_precision = pipeline::ResolvePrecision(backend, options.precision);
  face::SsdOptions ssd;
  ssd.precision = ssd_precision;
  Result<std::unique_ptr<face::FaceDetector>> detector =
      options.fit_detector_to_image ? face::OpenFittedDetector(dir, options.detector, backend, ssd_precision)
      : options.detector == DetectorKind::kTiny ? face::OpenFaceApiTinyDetector(dir, backend)
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
  if (faces.ok()) pipeline::ScaleToFullResolution(*faces, decoded.scale);
  return faces;
}

}  // namespace facetag

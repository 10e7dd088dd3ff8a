// The face-api pipeline: detect -> 68 landmarks -> descriptor region from the landmarks ->
// descriptor, with all faces of a photo batched through each net (the shared steps are in
// pipeline/face_steps.h).
#include "pipeline/face_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "face/border_retry.h"
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
#include "pipeline/backend_choice.h"
#include "pipeline/face_steps.h"

namespace facetag {
namespace {

using Clock = std::chrono::steady_clock;

class FaceApiEngine final : public FaceEngine {
 public:
  FaceApiEngine(std::unique_ptr<face::FaceDetector> detector, std::unique_ptr<face::Landmarker> landmarker,
                std::unique_ptr<face::FaceEmbedder> embedder, StageObserver* observer)
      : detector_(std::move(detector)),
        landmarker_(std::move(landmarker)),
        embedder_(std::move(embedder)),
        observer_(observer) {}

  Result<std::vector<Face>> Analyze(const Image& image) override {
    auto located = LocateWithRegions(image);
    if (!located.ok()) return located.status();
    if (located->faces.empty()) return std::move(located->faces);
    const auto t0 = Clock::now();
    auto embeddings = embedder_->Embed(image, located->descriptor_regions);
    Done(EngineStage::kDescribe, t0, located->faces.size(), &times_.embed_ms);
    if (!embeddings.ok()) return embeddings.status();
    for (size_t i = 0; i < located->faces.size(); ++i)
      located->faces[i].embedding = std::move((*embeddings)[i]);
    times_.faces += static_cast<long>(located->faces.size());
    return std::move(located->faces);
  }

  Result<std::vector<Face>> Locate(const Image& image) override {
    auto located = LocateWithRegions(image);
    if (!located.ok()) return located.status();
    return std::move(located->faces);
  }

  Result<Face> DescribeRegion(const Image& image, const Box& region) override {
    auto t0 = Clock::now();
    auto located = pipeline::LocateFaces(image, {face::Detection{region, 0.0f}}, *landmarker_);
    Done(EngineStage::kLandmarks, t0, 1, &times_.landmarks_ms);
    if (!located.ok()) return located.status();
    if (located->faces.empty()) return InvalidArgument("the box has no pixel inside the image");
    t0 = Clock::now();
    auto embeddings = embedder_->Embed(image, located->descriptor_regions);
    Done(EngineStage::kDescribe, t0, 1, &times_.embed_ms);
    if (!embeddings.ok()) return embeddings.status();
    Face face = std::move(located->faces[0]);
    face.embedding = std::move((*embeddings)[0]);
    return face;
  }

  const StageTimes& times() const override { return times_; }

 private:
  Result<pipeline::LocatedFaces> LocateWithRegions(const Image& image) {
    auto t0 = Clock::now();
    auto detections = detector_->Detect(image);
    Done(EngineStage::kDetect, t0, detections.ok() ? detections->size() : 0, &times_.detect_ms);
    if (!detections.ok()) return detections.status();
    ++times_.photos;
    t0 = Clock::now();
    const size_t found = detections->size();
    auto located = pipeline::LocateFaces(image, std::move(*detections), *landmarker_);
    Done(EngineStage::kLandmarks, t0, found, &times_.landmarks_ms);
    return located;
  }

  // Adds a stage's time to the stage times and tells the observer.
  void Done(EngineStage stage, Clock::time_point t0, size_t faces, double* total_ms) {
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    *total_ms += seconds * 1000;
    if (observer_) observer_->StageDone(stage, seconds, faces);
  }

  std::unique_ptr<face::FaceDetector> detector_;
  std::unique_ptr<face::Landmarker> landmarker_;
  std::unique_ptr<face::FaceEmbedder> embedder_;
  StageObserver* observer_;
  StageTimes times_;
};

}  // namespace

std::string ResolvedBackendName(InferenceBackend backend) {
  if (backend == InferenceBackend::kOpenCv) return "opencv";
  if (backend == InferenceBackend::kOneDnn) return "onednn";
  EngineOptions options;
  auto runners = pipeline::ResolveNetRunners(options);
  if (!runners.ok()) return "auto (" + runners.status().message() + ")";
  return "auto: ssd " + runners->ssd.Name() + ", tiny " + runners->tiny.Name() + ", landmarks " +
         runners->landmarks.Name() + ", descriptor " + runners->descriptor.Name();
}

std::string ResolvedPrecisionName(InferenceBackend backend, InferencePrecision precision) {
  EngineOptions options;
  options.backend = backend;
  options.precision = precision;
  auto runners = pipeline::ResolveNetRunners(options);
  return runners.ok() ? nn::PrecisionName(runners->ssd.precision) : "unknown";
}

Result<AutoBackendReport> DescribeAutoBackend(const std::filesystem::path& model_dir,
                                              const std::function<void(const std::string&)>& progress) {
  pipeline::MeasureOptions measure;
  measure.progress = progress;
  auto choices = pipeline::AutoBackendChoices(model_dir.empty() ? DefaultModelDir() : model_dir, measure);
  if (!choices.ok()) return choices.status();
  AutoBackendReport report;
  for (const auto& [net, choice] : choices->nets) {
    report.nets.push_back({pipeline::NetName(net), choice.runner.Name(), choice.median_ms});
  }
  report.key = choices->key;
  report.cache_file = choices->cache_file.string();
  report.measured_now = choices->measured_now;
  return report;
}

Result<std::unique_ptr<FaceEngine>> FaceEngine::Open(const EngineOptions& options) {
  return pipeline::OpenFaceEngine(options, {});
}

namespace pipeline {

Result<std::unique_ptr<FaceEngine>> OpenFaceEngine(const EngineOptions& options, EngineSeams seams) {
  const std::filesystem::path dir = options.model_dir.empty() ? DefaultModelDir() : options.model_dir;
  auto runners = ResolveNetRunners(options);
  if (!runners.ok()) return runners.status();
  face::SsdOptions ssd;
  ssd.precision = runners->ssd.precision;
  ssd.threads = options.inference_threads;
  face::TinyOptions tiny;
  tiny.precision = runners->tiny.precision;
  tiny.threads = options.inference_threads;
  Result<std::unique_ptr<face::FaceDetector>> detector =
      options.fit_detector_to_image ? face::OpenFittedDetector(dir, options.detector, runners->tiny,
                                                               runners->ssd, options.inference_threads)
      : options.detector == DetectorKind::kTiny
          ? face::OpenFaceApiTinyDetector(dir, runners->tiny.backend, tiny)
          : face::OpenFaceApiSsdDetector(dir, runners->ssd.backend, ssd);
  if (!detector.ok()) return detector.status();
  // The fitted detector has the retry built in.
  if (options.retry_small_images_in_border && !options.fit_detector_to_image)
    *detector = face::WithBorderRetry(std::move(*detector), face::kPhotoBorder);
  auto landmarker = face::OpenFaceApiLandmarker(dir, runners->landmarks.backend, options.face_net_shards,
                                                runners->landmarks.precision, options.inference_threads);
  if (!landmarker.ok()) return landmarker.status();
  std::unique_ptr<face::FaceEmbedder> embedder = std::move(seams.embedder);
  if (!embedder) {
    auto own = face::OpenFaceApiEmbedder(dir, runners->descriptor.backend, options.face_net_shards,
                                         runners->descriptor.precision, options.inference_threads);
    if (!own.ok()) return own.status();
    embedder = std::move(*own);
  }
  return std::unique_ptr<FaceEngine>(
      new FaceApiEngine(std::move(*detector), std::move(*landmarker), std::move(embedder), seams.observer));
}

}  // namespace pipeline

Result<std::vector<Face>> AnalyzeDecoded(FaceEngine& engine, const DecodedImage& decoded, bool describe) {
  auto faces = describe ? engine.Analyze(decoded.image) : engine.Locate(decoded.image);
  if (faces.ok()) pipeline::ScaleToFullResolution(*faces, decoded.scale);
  return faces;
}

Result<Face> DescribeBox(FaceEngine& engine, const DecodedImage& decoded, const Box& box) {
  const bool finite =
      std::isfinite(box.x) && std::isfinite(box.y) && std::isfinite(box.width) && std::isfinite(box.height);
  if (!finite || box.width <= 0 || box.height <= 0) return InvalidArgument("the box has no area");
  if (box.x < 0 || box.y < 0 || box.x + box.width > decoded.full_width ||
      box.y + box.height > decoded.full_height)
    return InvalidArgument("the box is not inside the photo (" + std::to_string(decoded.full_width) + " x " +
                           std::to_string(decoded.full_height) + " pixels)");
  if (std::min(box.width, box.height) < kMinDescribedFaceSide)
    return InvalidArgument("the box is too small: a face needs at least " +
                           std::to_string(static_cast<int>(kMinDescribedFaceSide)) + " pixels a side");
  const auto s = static_cast<float>(decoded.scale);
  auto face = engine.DescribeRegion(decoded.image, {box.x * s, box.y * s, box.width * s, box.height * s});
  if (!face.ok()) return face.status();
  std::vector<Face> one{std::move(*face)};
  pipeline::ScaleToFullResolution(one, decoded.scale);
  one[0].box = box;  // exactly what was drawn, not its round trip through the scale
  return std::move(one[0]);
}

}  // namespace facetag

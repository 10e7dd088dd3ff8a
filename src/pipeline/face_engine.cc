// The face-api pipeline: detect -> 68 landmarks -> descriptor region from the landmarks ->
// descriptor, with all faces of a photo batched through each net (the shared steps are in
// pipeline/face_steps.h).
#include "pipeline/face_engine.h"

#include <chrono>

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

}  // namespace facetag

// The face engine: from pixels to faces (box, score, 68 landmarks, embedding), and from photo
// files to faces on every core.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "facetag/engine_options.h"
#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag {
namespace pipeline {
class EnginePool;  // pipeline/engine_pool.h
}  // namespace pipeline

// "opencv", "onednn", or for kAuto "auto" followed by each net's choice.
std::string ResolvedBackendName(InferenceBackend backend);
// "f32", "bf16" or "int8": what the SSD detector runs in for these choices.
std::string ResolvedPrecisionName(InferenceBackend backend, InferencePrecision precision);

// What kAuto runs each net on. The fastest backend depends on the CPU, so the first time the
// models run on a CPU each net is timed on each backend and precision at parity (a few seconds,
// single-threaded as the workers run them) and the choice is cached in the XDG cache folder,
// keyed by CPU model, ISA, library versions and the model files' contents. `progress` hears each
// step when it measures.
struct AutoBackendNet {
  std::string net;                          // "ssd", "tiny", "landmarks", "descriptor"
  std::string runner;                       // "onednn f32"
  std::map<std::string, double> median_ms;  // every candidate's median, by runner
};
struct AutoBackendReport {
  std::vector<AutoBackendNet> nets;
  std::string key;         // CPU, backends, models
  std::string cache_file;  // where the choice is kept
  bool measured_now = false;
};
Result<AutoBackendReport> DescribeAutoBackend(const std::filesystem::path& model_dir,
                                              const std::function<void(const std::string&)>& progress = {});

// Time spent per stage, summed over calls; for `facetag bench` and metrics.
struct StageTimes {
  double detect_ms = 0, landmarks_ms = 0, embed_ms = 0;
  long photos = 0, faces = 0;
};

// The stages of one analysis, as a StageObserver hears them.
enum class EngineStage { kDetect, kLandmarks, kDescribe };

// Hears every stage of every analysis as it ends (the service turns them into metrics). Called
// on the engine's thread; must be thread-safe when shared between engines.
class StageObserver {
 public:
  virtual ~StageObserver() = default;
  virtual void StageDone(EngineStage stage, double seconds, size_t faces) = 0;
};

// Loads the nets once; analyses one image at a time (not thread-safe: one engine per thread).
// Every caller analyses through it: the indexer, the service, the cluster's workers, whois.
class FaceEngine {
 public:
  static Result<std::unique_ptr<FaceEngine>> Open(const EngineOptions& options);
  virtual ~FaceEngine() = default;

  // Every face in `image`, in its pixel coordinates, largest detection score first.
  virtual Result<std::vector<Face>> Analyze(const Image& image) = 0;
  // The same faces with boxes and landmarks but no embeddings (cheaper: no descriptor net).
  virtual Result<std::vector<Face>> Locate(const Image& image) = 0;
  // The face in `region` of `image`, described as a detected face would be (landmarks, the
  // aligned descriptor region, embedding) but without detection: a face the user drew where the
  // detector found none. Score 0. InvalidArgument when `region` has no pixel inside `image`.
  virtual Result<Face> DescribeRegion(const Image& image, const Box& region) = 0;
  virtual const StageTimes& times() const = 0;
};

// One photo's outcome: its faces in full-resolution displayed-orientation pixels, or why not.
struct PhotoFaces {
  std::string file;
  Status status;
  int width = 0, height = 0;
  std::vector<Face> faces;
  PhotoExif exif;  // when and where it was taken, with DecodeOptions::read_exif_facts
};

struct PhotoPipelineOptions {
  EngineOptions engine;
  DecodeOptions decode;
  // Threads, each with its own engine (0: one per core). Several engines run their nets on one
  // thread each, which keeps the cores busy without sharing a thread pool.
  int workers = 0;
};

// How photos of a library are analysed, whoever indexes them (`facetag index`, the service's
// POST /api/v1/index, registering from a catalogued photo): `base`'s detector, backend,
// precision, model folder, workers and decode limits, with the detector at its photo size
// (never fitted to the image, as requests are) and small photos without a face searched again
// inside a border (tight headshots).
PhotoPipelineOptions ForPhotoLibrary(PhotoPipelineOptions base);

// The settings that decide which faces a photo analysis finds, in words, e.g. "ssd detector
// (512x512, min score 0.5), small photos searched in a border, JPEG decoded down to 2560 px,
// face-api 1.7.15 models". The catalog records it; two analyses with the same words find the
// same faces (backends and precisions at parity do not change them; int8 is named).
std::string DescribeAnalysis(const PhotoPipelineOptions& options);

// Decodes and analyses photos on several threads, each with its own engine (loaded once).
class PhotoAnalyzer {
 public:
  // Fails only when an engine cannot start (models missing or broken).
  static Result<std::unique_ptr<PhotoAnalyzer>> Open(const PhotoPipelineOptions& options);
  ~PhotoAnalyzer();

  // Calls `on_result` from the calling thread, in the order of `files`. A file that fails is
  // reported through its PhotoFaces::status; one Run at a time.
  void Run(const std::vector<std::string>& files, const std::function<void(PhotoFaces&&)>& on_result);
  // The general form of Run, for callers that do more per file than decode and analyse (the
  // indexer reads a file once, hashes it and analyses only content it has not seen): runs
  // `task(engine, i)` for every i < count on the workers, each with its own engine, and calls
  // `on_result(i, result)` from the calling thread in order of i. Workers run at most a few
  // tasks ahead of the oldest unfinished one, so memory stays flat. One run at a time.
  using Task = std::function<PhotoFaces(FaceEngine& engine, size_t index)>;
  void RunTasks(size_t count, const Task& task, const std::function<void(size_t, PhotoFaces&&)>& on_result);
  // Stage times summed over every engine since Open.
  StageTimes times() const;
  int workers() const;

 private:
  PhotoAnalyzer(PhotoPipelineOptions options, std::unique_ptr<pipeline::EnginePool> engines);
  PhotoPipelineOptions options_;
  std::unique_ptr<pipeline::EnginePool> engines_;
};

// Analyses one decoded photo with `engine`, mapping boxes back to full resolution; without
// `describe`, faces have no embeddings (FaceEngine::Locate).
Result<std::vector<Face>> AnalyzeDecoded(FaceEngine& engine, const DecodedImage& decoded,
                                         bool describe = true);

// Smallest side, in full-resolution pixels, of a box DescribeBox accepts: below it the landmark
// net sees too few pixels to place landmarks, and the descriptor would be noise.
inline constexpr float kMinDescribedFaceSide = 16;

// DescribeRegion for `box` in the full-resolution, displayed-orientation pixels of `decoded`
// (what the catalog stores): the face with box and landmarks in those pixels. InvalidArgument
// saying why for a box outside the photo, of zero area or smaller than kMinDescribedFaceSide.
Result<Face> DescribeBox(FaceEngine& engine, const DecodedImage& decoded, const Box& box);

// Decodes a whole file's bytes and analyses them: what PhotoAnalyzer::Run does with each file
// once it is read. `file` only names the result.
PhotoFaces AnalyzeBytes(FaceEngine& engine, const std::string& file, std::span<const uint8_t> bytes,
                        const DecodeOptions& decode);

}  // namespace facetag

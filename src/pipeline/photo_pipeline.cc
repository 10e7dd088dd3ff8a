// Many photos on every core: each worker thread owns an engine and pulls the next file; results
// are handed back in input order, so output is deterministic whatever the scheduling.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>

#include "facetag/engine.h"
#include "pipeline/engine_pool.h"

namespace facetag {
namespace {

PhotoFaces AnalyzeOutcome(FaceEngine& engine, const std::string& file, const Result<DecodedImage>& decoded) {
  PhotoFaces result;
  result.file = file;
  if (!decoded.ok()) {
    result.status = decoded.status();
    return result;
  }
  result.width = decoded->full_width;
  result.height = decoded->full_height;
  result.exif = decoded->exif;
  auto faces = AnalyzeDecoded(engine, *decoded);
  if (faces.ok()) {
    result.faces = std::move(*faces);
  } else {
    result.status = faces.status();
  }
  return result;
}

PhotoFaces AnalyzeFile(FaceEngine& engine, const std::string& file, const DecodeOptions& decode) {
  return AnalyzeOutcome(engine, file, DecodeImageFile(file, decode));
}

}  // namespace

PhotoFaces AnalyzeBytes(FaceEngine& engine, const std::string& file, std::span<const uint8_t> bytes,
                        const DecodeOptions& decode) {
  return AnalyzeOutcome(engine, file, DecodeImage(bytes, decode));
}

Result<std::unique_ptr<PhotoAnalyzer>> PhotoAnalyzer::Open(const PhotoPipelineOptions& options) {
  auto engines = pipeline::EnginePool::Open(options.engine, options.workers);
  if (!engines.ok()) return engines.status();
  return std::unique_ptr<PhotoAnalyzer>(new PhotoAnalyzer(options, std::move(*engines)));
}

PhotoAnalyzer::PhotoAnalyzer(PhotoPipelineOptions options, std::unique_ptr<pipeline::EnginePool> engines)
    : options_(std::move(options)), engines_(std::move(engines)) {}

PhotoAnalyzer::~PhotoAnalyzer() = default;

StageTimes PhotoAnalyzer::times() const { return engines_->times(); }

int PhotoAnalyzer::workers() const { return engines_->size(); }

void PhotoAnalyzer::Run(const std::vector<std::string>& files,
                        const std::function<void(PhotoFaces&&)>& on_result) {
  RunTasks(
      files.size(),
      [&](FaceEngine& engine, size_t i) { return AnalyzeFile(engine, files[i], options_.decode); },
      [&](size_t, PhotoFaces&& result) { on_result(std::move(result)); });
}

void PhotoAnalyzer::RunTasks(size_t count, const Task& task,
                             const std::function<void(size_t, PhotoFaces&&)>& on_result) {
  std::mutex mu;
  std::condition_variable changed;
  std::map<size_t, PhotoFaces> done;  // finished but not yet handed out
  std::atomic<size_t> next{0};
  size_t emitted = 0;
  // How far workers may run ahead of the oldest unfinished photo: keeps memory flat.
  const size_t window = static_cast<size_t>(engines_->size()) * 4;

  engines_->Start([&](FaceEngine& engine, int) {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= count) return;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return i < emitted + window; });
      }
      PhotoFaces result = task(engine, i);
      std::lock_guard lock(mu);
      done.emplace(i, std::move(result));
      changed.notify_all();
    }
  });
  while (emitted < count) {
    PhotoFaces result;
    {
      std::unique_lock lock(mu);
      changed.wait(lock, [&] { return done.count(emitted) != 0; });
      result = std::move(done.at(emitted));
      done.erase(emitted);
    }
    on_result(emitted, std::move(result));
    {
      std::lock_guard lock(mu);
      ++emitted;
    }
    changed.notify_all();
  }
  engines_->Wait();
}

}  // namespace facetag

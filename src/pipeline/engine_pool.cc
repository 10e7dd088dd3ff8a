#include "pipeline/engine_pool.h"

#include <algorithm>

#include "nn/session.h"

namespace facetag::pipeline {

Result<std::unique_ptr<EnginePool>> EnginePool::Open(const EngineOptions& options, int engines,
                                                     const std::function<EngineSeams()>& seams) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int count = engines > 0 ? engines : cores;
  EngineOptions each = options;
  if (count == 1) {
    if (each.face_net_shards == 1) each.face_net_shards = cores;
  } else if (each.inference_threads == 0) {
    each.inference_threads = 1;
  }
  nn::SetOpenCvThreads(each.inference_threads);
  std::vector<std::unique_ptr<FaceEngine>> opened;
  for (int i = 0; i < count; ++i) {
    auto engine = OpenFaceEngine(each, seams ? seams() : EngineSeams{});
    if (!engine.ok())
      return Status(engine.status().code(), "cannot start the face engine: " + engine.status().message());
    opened.push_back(std::move(*engine));
  }
  return std::unique_ptr<EnginePool>(new EnginePool(std::move(each), std::move(opened)));
}

EnginePool::EnginePool(EngineOptions options, std::vector<std::unique_ptr<FaceEngine>> engines)
    : options_(std::move(options)), engines_(std::move(engines)) {}

EnginePool::~EnginePool() { Wait(); }

void EnginePool::Start(std::function<void(FaceEngine& engine, int index)> loop) {
  for (int i = 0; i < size(); ++i) threads_.emplace_back([loop, i, this] { loop(*engines_[i], i); });
}

void EnginePool::Wait() {
  for (auto& t : threads_) t.join();
  threads_.clear();
}

StageTimes EnginePool::times() const {
  StageTimes sum;
  for (const auto& e : engines_) {
    const StageTimes& t = e->times();
    sum.detect_ms += t.detect_ms;
    sum.landmarks_ms += t.landmarks_ms;
    sum.embed_ms += t.embed_ms;
    sum.photos += t.photos;
    sum.faces += t.faces;
  }
  return sum;
}

}  // namespace facetag::pipeline

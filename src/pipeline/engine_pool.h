// A pool of face engines, each driven by a thread of its own: the one place that decides how many
// engines run side by side and how many threads each engine's nets may use. The indexer
// (PhotoAnalyzer), the service's request queue and the cluster's worker each run their loop
// (ordered photo tasks, queued requests, pulled jobs) on one of these.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "facetag/engine.h"
#include "pipeline/face_engine.h"

namespace facetag::pipeline {

class EnginePool {
 public:
  // `engines` engines (0: one per core). Threads per engine, unless `options` sets them: one
  // engine uses every core (the detector through the backend's threads, the per-face nets by
  // splitting the faces between copies); several engines get one thread each, so that the engines,
  // not the nets' thread teams, keep the cores busy. `seams`, when given, is asked once per engine.
  //
  // OpenCV DNN has one thread pool per process, not per net: it is sized here for this pool,
  // which suits a process whose pools agree (every pool of several engines asks for one thread).
  static Result<std::unique_ptr<EnginePool>> Open(const EngineOptions& options, int engines,
                                                  const std::function<EngineSeams()>& seams = {});
  ~EnginePool();  // waits for a started loop to return

  int size() const { return static_cast<int>(engines_.size()); }
  // What each engine was opened with (its threads per net filled in): for an engine opened
  // beside the pool that must behave like the pool's.
  const EngineOptions& engine_options() const { return options_; }

  // Runs `loop(engine, index)` once on each engine's thread. The loops decide when to return
  // (no work left, a stop flag); Wait() joins them. One Start at a time.
  void Start(std::function<void(FaceEngine& engine, int index)> loop);
  void Wait();

  // Stage times summed over the engines since Open.
  StageTimes times() const;

 private:
  EnginePool(EngineOptions options, std::vector<std::unique_ptr<FaceEngine>> engines);
  EngineOptions options_;
  std::vector<std::unique_ptr<FaceEngine>> engines_;
  std::vector<std::thread> threads_;
};

}  // namespace facetag::pipeline

// The bounded queue in front of the engines: the threads of an engine pool (one FaceEngine each)
// take jobs in order. A job is refused at once (the caller answers 503 +
// Retry-After) when the queue is full, or when the jobs ahead of it would keep it waiting longer
// than `max_wait`, judged from the engines' recent job times: work waits in a short line, never
// in a long one, so the answers that do come stay quick under any load.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "facetag/engine.h"
#include "pipeline/engine_pool.h"

namespace facetag::service {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;
  // `expired` is true when the job waited past its deadline: it should answer 503 timeout
  // without running the engine.
  using Job = std::function<void(FaceEngine& engine, bool expired)>;

  WorkQueue(std::unique_ptr<pipeline::EnginePool> engines, int capacity, std::chrono::milliseconds max_wait);
  ~WorkQueue();
  // false: the queue is full (the job was not taken).
  bool TrySubmit(Job job, Clock::time_point deadline);
  int depth() const;
  int capacity() const { return capacity_; }

 private:
  void Work(FaceEngine& engine);
  struct Item {
    Job job;
    Clock::time_point deadline;
  };
  const int capacity_;
  const double max_wait_ms_;
  mutable std::mutex mu_;
  double job_ms_ = 0;  // moving average of a job's run time on one engine
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::unique_ptr<pipeline::EnginePool> engines_;
};

}  // namespace facetag::service

// The bounded queue in front of the engines: a fixed number of worker threads, each with its
// own ServiceEngine, take jobs in order. When the queue is full a job is refused at once (the
// caller answers 503 + Retry-After): work waits in a bounded line, never in an unbounded one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "service/service_engine.h"

namespace facetag::service {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;
  // `expired` is true when the job waited past its deadline: it should answer 503 timeout
  // without running the engine.
  using Job = std::function<void(ServiceEngine& engine, bool expired)>;

  WorkQueue(std::vector<std::unique_ptr<ServiceEngine>> engines, int capacity);
  ~WorkQueue();
  // false: the queue is full (the job was not taken).
  bool TrySubmit(Job job, Clock::time_point deadline);
  int depth() const;
  int capacity() const { return capacity_; }

 private:
  void Work(ServiceEngine& engine);
  struct Item {
    Job job;
    Clock::time_point deadline;
  };
  const int capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<ServiceEngine>> engines_;
  std::vector<std::thread> threads_;
};

}  // namespace facetag::service

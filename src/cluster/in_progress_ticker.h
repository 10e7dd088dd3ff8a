// While a long job runs, tells JetStream every `period` that the worker is still on it, so the
// ack wait can stay short (a dead worker's job comes back quickly) without redelivering a job
// that is merely slow.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace facetag::cluster {

class InProgressTicker {
 public:
  InProgressTicker(natsMsg* msg, std::chrono::milliseconds period)
      : thread_([this, msg, period] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, period, [this] { return done_; })) natsMsg_InProgress(msg, nullptr);
        }) {}
  ~InProgressTicker() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  InProgressTicker(const InProgressTicker&) = delete;
  InProgressTicker& operator=(const InProgressTicker&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace facetag::cluster

#include "service/work_queue.h"

namespace facetag::service {

WorkQueue::WorkQueue(std::unique_ptr<pipeline::EnginePool> engines, int capacity,
                     std::chrono::milliseconds max_wait)
    : capacity_(capacity), max_wait_ms_(static_cast<double>(max_wait.count())), engines_(std::move(engines)) {
  engines_->Start([this](FaceEngine& engine, int) { Work(engine); });
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  engines_->Wait();
}

bool WorkQueue::TrySubmit(Job job, Clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || static_cast<int>(items_.size()) >= capacity_) return false;
    const double expected_wait_ms =
        static_cast<double>(items_.size()) * job_ms_ / static_cast<double>(engines_->size());
    if (expected_wait_ms > max_wait_ms_) return false;
    items_.push_back({std::move(job), deadline});
  }
  cv_.notify_one();
  return true;
}

int WorkQueue::depth() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(items_.size());
}

void WorkQueue::Work(FaceEngine& engine) {
  while (true) {
    Item item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !items_.empty(); });
      if (items_.empty()) return;  // stopping
      item = std::move(items_.front());
      items_.pop_front();
    }
    const auto started = Clock::now();
    item.job(engine, started > item.deadline);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    std::lock_guard lock(mu_);
    job_ms_ = job_ms_ == 0 ? ms : 0.9 * job_ms_ + 0.1 * ms;
  }
}

}  // namespace facetag::service

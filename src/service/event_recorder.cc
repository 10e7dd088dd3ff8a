#include "service/event_recorder.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>

namespace facetag::service {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<EventRecorder>> EventRecorder::Open(const std::filesystem::path& db,
                                                           const EventRecorderOptions& options,
                                                           Metrics* metrics) {
  auto catalog = Catalog::Open(db);
  FACETAG_RETURN_IF_ERROR(catalog.status());
  metrics->Declare("facetag_events_recorded_total", "counter", "Recognition events stored in the catalog");
  metrics->Declare("facetag_events_dropped_total", "counter",
                   "Recognition events lost: the catalog could not be written and too many were waiting");
  metrics->Declare("facetag_events_expired_total", "counter", "Recognition events deleted by the retention");
  metrics->Declare("facetag_events_pending", "gauge", "Recognition events waiting for the writer");
  return std::unique_ptr<EventRecorder>(new EventRecorder(std::move(*catalog), options, metrics));
}

EventRecorder::EventRecorder(std::unique_ptr<Catalog> catalog, const EventRecorderOptions& options,
                             Metrics* metrics)
    : catalog_(std::move(catalog)), options_(options), metrics_(metrics) {
  writer_ = std::thread([this] { Loop(); });
}

EventRecorder::~EventRecorder() { Stop(); }

void EventRecorder::Record(std::vector<RecognitionEvent> events) {
  if (events.empty()) return;
  size_t dropped = 0;
  bool batch_full = false;
  {
    std::lock_guard lock(mu_);
    const size_t room = options_.max_pending > pending_.size() ? options_.max_pending - pending_.size() : 0;
    if (events.size() > room) {
      dropped = events.size() - room;
      events.resize(room);
    }
    for (auto& e : events) pending_.push_back(std::move(e));
    batch_full = pending_.size() >= options_.batch_events;
  }
  if (dropped) metrics_->Add("facetag_events_dropped_total", "", static_cast<double>(dropped));
  if (batch_full) cv_.notify_one();
}

void EventRecorder::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) writer_.join();
}

std::vector<RecognitionEvent> EventRecorder::TakePending() {
  std::vector<RecognitionEvent> batch;
  std::lock_guard lock(mu_);
  batch.swap(pending_);
  return batch;
}

void EventRecorder::Store(std::vector<RecognitionEvent>& batch) {
  metrics_->Set("facetag_events_pending", "", static_cast<double>(batch.size()));
  auto stored = catalog_->RecordEvents(batch);
  if (stored.ok()) {
    metrics_->Add("facetag_events_recorded_total", "", static_cast<double>(*stored));
    metrics_->Set("facetag_events_pending", "", 0);
    return;
  }
  // Once a minute at most: a catalog that stays locked or full would flood the log. The
  // message is SQLite's or the catalog's: no names, sources or paths of photos.
  const bool retry = stored.status().code() == ErrorCode::kIoError;  // busy, locked, full: may pass
  const int64_t now = NowMs();
  if (now - last_error_log_ms_ > 60000) {
    last_error_log_ms_ = now;
    std::fprintf(stderr, "facetag: cannot store %zu recognition events (%s): %s\n", batch.size(),
                 retry ? "retrying" : "dropped", stored.status().ToString().c_str());
  }
  if (!retry) {
    metrics_->Add("facetag_events_dropped_total", "", static_cast<double>(batch.size()));
    batch.clear();
    return;
  }
  size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    batch.insert(batch.end(), std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.end()));
    pending_.swap(batch);
    if (pending_.size() > options_.max_pending) {
      dropped = pending_.size() - options_.max_pending;
      pending_.resize(options_.max_pending);
    }
  }
  batch.clear();
  if (dropped) metrics_->Add("facetag_events_dropped_total", "", static_cast<double>(dropped));
}

void EventRecorder::ApplyRetention() {
  const int64_t cutoff = NowMs() - options_.retention_ms;
  while (true) {
    auto deleted = catalog_->DeleteEventsBefore(cutoff, options_.retention_batch);
    if (!deleted.ok()) {
      std::fprintf(stderr, "facetag: recognition event retention: %s\n", deleted.status().ToString().c_str());
      return;
    }
    if (*deleted > 0) metrics_->Add("facetag_events_expired_total", "", static_cast<double>(*deleted));
    if (*deleted < options_.retention_batch) return;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    // New events do not wait for a long clean-up: each delete is short, and they go in between.
    auto batch = TakePending();
    if (!batch.empty()) Store(batch);
  }
}

void EventRecorder::Loop() {
  // Named, so that `top -H` and scripts/bench-serve.sh can tell what recording costs.
  pthread_setname_np(pthread_self(), "facetag-events");
  using Clock = std::chrono::steady_clock;
  auto next_retention = Clock::now();  // once at start, then every retention_every_ms
  while (true) {
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                   [&] { return stopping_ || pending_.size() >= options_.batch_events; });
      stopping = stopping_;
    }
    auto batch = TakePending();
    if (!batch.empty()) Store(batch);
    if (stopping) {
      // One more try for what a failed store put back; then what remains is lost, and counted.
      auto rest = TakePending();
      if (!rest.empty()) Store(rest);
      auto lost = TakePending();
      if (!lost.empty()) metrics_->Add("facetag_events_dropped_total", "", static_cast<double>(lost.size()));
      return;
    }
    if (options_.retention_ms > 0 && Clock::now() >= next_retention) {
      ApplyRetention();
      next_retention = Clock::now() + std::chrono::milliseconds(options_.retention_every_ms);
    }
  }
}

}  // namespace facetag::service

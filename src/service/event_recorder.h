// Records recognition events without slowing recognitions down: request threads only append to
// an in-memory list; one writer thread, with its own catalog connection, stores what gathered
// every flush interval (or as soon as a batch is full) in one transaction, and applies the
// retention period in small deletes between flushes. Stop() (and the destructor) stores what is
// still pending, so a clean shutdown (SIGTERM) loses nothing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "facetag/catalog.h"
#include "service/metrics.h"

namespace facetag::service {

struct EventRecorderOptions {
  int flush_interval_ms = 200;
  size_t batch_events = 512;  // a full batch is stored at once, without waiting for the interval
  // Events waiting beyond this are dropped and counted (facetag_events_dropped_total): a catalog
  // that cannot be written must not take the server's memory with it.
  size_t max_pending = 100000;
  int64_t retention_ms = 0;            // 0: keep every event
  int retention_batch = 1000;          // rows per delete transaction
  int retention_every_ms = 60 * 1000;  // how often older events are looked for
};

class EventRecorder {
 public:
  static Result<std::unique_ptr<EventRecorder>> Open(const std::filesystem::path& db,
                                                     const EventRecorderOptions& options, Metrics* metrics);
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // Thread-safe and cheap: the events are stored by the writer thread shortly after.
  void Record(std::vector<RecognitionEvent> events);
  // Stores everything pending and ends the writer. Idempotent.
  void Stop();

 private:
  EventRecorder(std::unique_ptr<Catalog> catalog, const EventRecorderOptions& options, Metrics* metrics);
  void Loop();
  // Stores `batch`; on failure puts it back in front of the pending events (within max_pending).
  void Store(std::vector<RecognitionEvent>& batch);
  // Deletes expired events batch by batch, storing pending events between batches.
  void ApplyRetention();
  std::vector<RecognitionEvent> TakePending();

  std::unique_ptr<Catalog> catalog_;  // used by the writer thread only
  EventRecorderOptions options_;
  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<RecognitionEvent> pending_;
  bool stopping_ = false;
  std::thread writer_;
  int64_t last_error_log_ms_ = 0;
};

}  // namespace facetag::service

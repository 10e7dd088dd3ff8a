#include "library/progress_meter.h"

namespace facetag::library {

void ProgressMeter::Start(int64_t files_total) {
  start_ = std::chrono::steady_clock::now();
  progress_.files_total = files_total;
  Phase(IndexProgress::Phase::kIndexing);
}

void ProgressMeter::FileDone(int64_t faces) {
  ++progress_.files_done;
  progress_.faces_found += faces;
  Report();
}

void ProgressMeter::Phase(IndexProgress::Phase phase) {
  progress_.phase = phase;
  Report();
}

void ProgressMeter::Report() {
  if (!callback_) return;
  progress_.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // The rate over the whole run so far: unchanged files go by fast and analysed ones slowly,
  // and a library mixes both throughout, so the long-run average predicts best.
  progress_.files_per_s =
      progress_.elapsed_s > 0 ? static_cast<double>(progress_.files_done) / progress_.elapsed_s : 0;
  progress_.eta_s =
      progress_.files_per_s > 0
          ? static_cast<double>(progress_.files_total - progress_.files_done) / progress_.files_per_s
          : -1;
  callback_(progress_);
}

}  // namespace facetag::library

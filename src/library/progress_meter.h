// Rate and ETA for the indexer's progress reports.
#pragma once

#include <chrono>
#include <cstdint>

#include "facetag/indexer.h"

namespace facetag::library {

class ProgressMeter {
 public:
  explicit ProgressMeter(const IndexProgressCallback& callback) : callback_(callback) {}

  void Start(int64_t files_total);
  void FileDone(int64_t faces);
  void Phase(IndexProgress::Phase phase);

 private:
  void Report();

  const IndexProgressCallback& callback_;
  IndexProgress progress_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace facetag::library

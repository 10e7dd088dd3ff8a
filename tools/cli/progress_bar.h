// Progress drawn on one terminal line: bar, done/total, a detail, rate, ETA (index, annotate).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "facetag/indexer.h"

namespace facetag::cli {

class ProgressBar {
 public:
  // Draws only when `out` is a terminal: piped or redirected output stays clean.
  explicit ProgressBar(std::FILE* out);
  ~ProgressBar();  // clears the line

  void Update(const IndexProgress& progress);
  // "[####....] 3/10 photos  1 failed  0.5 photos/s  ETA 0:14"; `detail` may be empty.
  void Update(int64_t done, int64_t total, const char* unit, const std::string& detail, double per_s,
              double eta_s);
  void Clear();

 private:
  // false: too soon after the last draw (at most ~10 a second), unless `last`.
  bool Due(bool last);
  void Draw(int64_t done, int64_t total, const char* unit, const std::string& detail, double per_s,
            double eta_s);

  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace facetag::cli

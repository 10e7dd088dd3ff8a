// The indexer's progress drawn on one terminal line: bar, files, faces, files/s, ETA.
#pragma once

#include <chrono>
#include <cstdio>

#include "facetag/indexer.h"

namespace facetag::cli {

class ProgressBar {
 public:
  // Draws only when `out` is a terminal: piped or redirected output stays clean.
  explicit ProgressBar(std::FILE* out);
  ~ProgressBar();  // clears the line

  void Update(const IndexProgress& progress);
  void Clear();

 private:
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace facetag::cli

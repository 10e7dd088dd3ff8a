// Options every command that runs the face engine shares: detector, model folder, workers,
// decode limits.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "facetag/engine.h"

namespace facetag::cli {

struct EngineFlags {
  std::string detector = "ssd";
  std::string backend = "auto";
  std::string precision = "auto";
  std::string model_dir;
  int workers = 0;
  double max_megapixels = 200;
  int decode_min_side = 2560;

  void Register(CLI::App& cmd);
  PhotoPipelineOptions ToOptions() const;
};

}  // namespace facetag::cli

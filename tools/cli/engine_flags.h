// Options every command that runs the face engine shares: detector, model folder, workers,
// decode limits.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
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
  // With --backend auto, also makes sure the per-net choice for this CPU is known, measuring it
  // with progress on stderr the first time (facetag/engine.h: DescribeAutoBackend).
  PhotoPipelineOptions ToOptions() const;
};

// The auto backend's choice for this CPU, measured now if it is not cached, saying so on stderr.
void MeasureAutoBackendVisibly(const std::filesystem::path& model_dir);

}  // namespace facetag::cli

// Measurements behind `facetag bench`: per-net latency, the CPU's arithmetic peak, and whole-
// pipeline throughput. Medians throughout, since the machines we run on are shared and noisy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag {

struct NetTiming {
  std::string net;  // e.g. "descriptor x8"
  int batch = 1;
  int threads = 1;
  std::string split;  // how the threads share the work: "layers" (the backend's) or "batch" (shards)
  double median_ms = 0;
  double gflop = 0;  // work per call
  double gflops() const { return median_ms > 0 ? gflop / (median_ms / 1000.0) : 0; }
};

// Times each converted net on synthetic input, `runs` times after two warm-ups, on 1 and on
// `max_threads` threads.
Result<std::vector<NetTiming>> BenchmarkNets(const std::filesystem::path& model_dir, int runs,
                                             int max_threads);

struct PeakFlops {
  std::string isa;  // widest vector FMA used: "avx512f", "avx2+fma" or "scalar"
  double per_core_gflops = 0;
  double all_cores_gflops = 0;
  int cores = 1;
};

// Single-precision FMA throughput from a register-resident loop: the ceiling no net can pass.
PeakFlops MeasurePeakFlops(int cores);

// Median of a sample (copied, since it sorts).
double Median(std::vector<double> values);

}  // namespace facetag

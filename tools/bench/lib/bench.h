// Measurements behind `facetag bench`: per-net latency, the CPU's arithmetic peak, and whole-
// pipeline throughput. Medians throughout, since the machines we run on are shared and noisy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "facetag/engine.h"
#include "facetag/status.h"

namespace facetag {

struct NetTiming {
  std::string backend;            // "opencv", "onednn"
  std::string net;                // e.g. "descriptor x8"
  std::string precision = "f32";  // "f32", "int8"
  int batch = 1;
  int threads = 1;
  std::string split;  // how the threads share the work: "layers" (the backend's) or "batch" (shards)
  double median_ms = 0;
  double gflop = 0;  // work per call
  double gflops() const { return median_ms > 0 ? gflop / (median_ms / 1000.0) : 0; }
};

// Times each converted net on synthetic input, `runs` times after two warm-ups, on 1 and on
// `max_threads` threads, once per backend in `backends` (kAuto is not a backend here); nets with
// an int8 path (the SSD detector) also at int8 where the backend runs it fast.
Result<std::vector<NetTiming>> BenchmarkNets(const std::filesystem::path& model_dir, int runs,
                                             int max_threads,
                                             const std::vector<InferenceBackend>& backends = {
                                                 InferenceBackend::kOpenCv});

// The backends this build can run, OpenCV DNN first.
std::vector<InferenceBackend> AvailableBackends();
// Whether `backend` runs int8 with fast kernels on this CPU (oneDNN on AVX2 or better).
bool FastInt8Available(InferenceBackend backend);

struct PeakFlops {
  std::string isa;  // widest vector FMA used: "avx512f", "avx2+fma" or "scalar"
  double per_core_gflops = 0;
  double all_cores_gflops = 0;
  int cores = 1;
};

// Single-precision FMA throughput from a register-resident loop: the ceiling no net can pass.
PeakFlops MeasurePeakFlops(int cores);

// What an inference backend offers on this machine, for `facetag doctor` and `facetag bench`.
struct BackendInfo {
  std::string name;        // "opencv", "onednn"
  bool available = false;  // built into this facetag
  std::string version;     // library version
  std::string isa;         // instruction set its kernels use here ("avx2", "avx512_core_amx", ...)
  std::vector<std::string> precisions;  // runnable here with parity held: "f32", ...
  std::string note;                     // why a precision is missing, etc.
};
std::vector<BackendInfo> DescribeBackends();

// Median of a sample (copied, since it sorts).
double Median(std::vector<double> values);

}  // namespace facetag

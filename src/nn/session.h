// An inference backend runs one converted model file. The face nets only see this interface, so a
// backend (OpenCV DNN today, oneDNN later) can be swapped without touching them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "facetag/status.h"
#include "nn/tensor.h"

namespace facetag::nn {

class InferenceSession {
 public:
  virtual ~InferenceSession() = default;
  // Runs the net on one input (NCHW, any batch size the model allows). Outputs come in the order
  // of SessionOptions::output_names. Not thread-safe: one caller at a time.
  virtual Result<std::vector<Tensor>> Run(const Tensor& input) = 0;
};

enum class Backend {
  kOpenCv,  // OpenCV DNN on the ONNX files
  kOneDnn,  // oneDNN primitives (when facetag was built with oneDNN)
};

// Arithmetic a backend runs the nets in. Only f32 is exact; the others must pass the parity
// checks (tests/nn) on the CPU at hand before they are offered.
enum class Precision {
  kF32,
  kBf16,
  // oneDNN only: convolutions on u8/s8 activations and s8 weights where the activation ranges
  // are known from the graph (nn/onednn_plan.h says how); everything else stays f32.
  kInt8,
};

// What one net runs on.
struct Runner {
  Backend backend = Backend::kOpenCv;
  Precision precision = Precision::kF32;
  std::string Name() const;  // "onednn f32"
  bool operator==(const Runner&) const = default;
};

const char* BackendName(Backend backend);        // "opencv", "onednn"
const char* PrecisionName(Precision precision);  // "f32", "bf16", "int8"
// Whether this build has the backend at all.
bool BackendAvailable(Backend backend);
// Whether the backend runs `precision` with fast native kernels on this CPU (oneDNN int8: AVX2 or
// better; below that oneDNN's int8 kernels are not faster than f32, or missing).
bool PrecisionAvailable(Backend backend, Precision precision);

struct SessionOptions {
  std::vector<std::string> output_names;  // empty: the model's single output
  // Copies of the net that split a batch between them, each on its own thread (1: no split).
  // On these small convolutions, splitting the batch scales across cores better than the
  // backend's per-layer threads do (docs/BENCHMARKS.md).
  int shards = 1;
  Precision precision = Precision::kF32;  // OpenCV DNN only runs f32
  // kInt8: the largest |value| the input takes, which its normalisation fixes (0: unknown; the
  // first convolution then stays f32).
  float input_max_abs = 0;
  // kInt8: convolutions with fewer input channels stay f32. Short dot products (early layers,
  // depthwise) carry the most quantisation noise, so this is where a net trades speed for parity.
  int int8_min_input_channels = 0;
  // Threads one Run may use, split between the shards (0: all cores). oneDNN honours it per
  // session; OpenCV DNN has one thread pool per process (SetOpenCvThreads).
  int threads = 0;
};

Result<std::unique_ptr<InferenceSession>> OpenSession(Backend backend, const std::filesystem::path& onnx_path,
                                                      const SessionOptions& options);

// OpenCV DNN runs every net of the process on one thread pool (TBB on Debian), so its size is
// process-wide, not a session's: the engine pools set it (0: all cores).
void SetOpenCvThreads(int threads);
int OpenCvThreads();  // the last value set

// The backend's library version and the instruction set its kernels use here
// ("onednn 2.6.3 avx512_core_amx"): what a measured choice between backends depends on.
std::string BackendSignature(Backend backend);

}  // namespace facetag::nn

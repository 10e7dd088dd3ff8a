// What `--backend auto` runs each net on. The fastest correct backend depends on the CPU (oneDNN
// is 2-4x faster than OpenCV DNN where its JIT kernels cover a net, and slower where a layer
// falls back to a reference kernel; both differ per ISA), so it is measured, not assumed: the
// first time the models run on a CPU, each net is timed on each backend and precision that holds
// parity, single-threaded as the workers run them, and the fastest is kept. The choice is cached
// in the XDG cache folder under a key of CPU model, oneDNN ISA, library versions and the model
// files' contents, so a new CPU, library or model is measured again.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "facetag/status.h"
#include "nn/session.h"

namespace facetag::pipeline {

enum class Net { kSsd, kTiny, kLandmarks, kDescriptor };
const char* NetName(Net net);  // "ssd", "tiny", "landmarks", "descriptor"
inline constexpr Net kAllNets[] = {Net::kSsd, Net::kTiny, Net::kLandmarks, Net::kDescriptor};

// Whether `net` at `precision` holds the parity rule with face-api.js (same faces, IoU >= 0.9,
// descriptors within 0.05), measured by tests/pipeline/precision_parity_test.cc. bf16: only the
// descriptor net (0.0055 from face-api's descriptors); bf16 boxes or landmarks move the crops the
// descriptors are computed from by enough to move descriptors 0.07-0.15. int8: none.
bool HoldsParityAt(Net net, nn::Precision precision);

struct NetChoice {
  nn::Runner runner;
  std::map<std::string, double> median_ms;  // by Runner::Name(), every candidate measured
  // The fastest candidate at `precision` (the choice itself when it is at that precision).
  nn::Runner FastestAt(nn::Precision precision) const;
};

struct BackendChoices {
  std::map<Net, NetChoice> nets;
  std::string key;                   // what the measurement is valid for
  std::filesystem::path cache_file;  // where it is kept
  bool measured_now = false;         // false: read from the cache
  const nn::Runner& For(Net net) const { return nets.at(net).runner; }
};

struct MeasureOptions {
  int runs = 5;  // timed runs per candidate, after one warm-up
  // Called inside each timed run (its time counts); tests slow one backend down with it.
  std::function<void(Net, const nn::Runner&)> during_run;
  // One line per step of a measurement ("timing ssd on onednn f32"), for a progress display.
  std::function<void(const std::string&)> progress;
};

// The key the choice for `model_dir` is cached under on this machine.
Result<std::string> BackendChoiceKey(const std::filesystem::path& model_dir);

// Times every net on every candidate now (a few seconds), without reading or writing the cache.
Result<BackendChoices> MeasureBackendChoices(const std::filesystem::path& model_dir,
                                             const MeasureOptions& options = {});

// The cached choice for this CPU and these models, else a new measurement, saved to
// `cache_dir` (default: $XDG_CACHE_HOME/facetag). Kept in memory for the process's lifetime;
// safe to call from several threads (one measures, the others wait for it).
Result<BackendChoices> AutoBackendChoices(const std::filesystem::path& model_dir,
                                          const MeasureOptions& options = {},
                                          const std::filesystem::path& cache_dir = {});

}  // namespace facetag::pipeline

#include "pipeline/backend_choice.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "face/faceapi/ssd_detector.h"
#include "facetag/content_hash.h"

namespace facetag::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

struct NetProbe {
  const char* file;
  std::vector<int> input_shape;  // what a worker typically runs: one photo, a few faces
};

NetProbe ProbeFor(Net net) {
  switch (net) {
    case Net::kSsd:
      return {"ssd_mobilenetv1.onnx", {1, 3, 512, 512}};
    case Net::kTiny:
      return {"tiny_face_detector.onnx", {1, 3, 416, 416}};
    case Net::kLandmarks:
      return {"face_landmark_68.onnx", {4, 3, 112, 112}};
    case Net::kDescriptor:
      return {"face_recognition.onnx", {4, 3, 150, 150}};
  }
  return {};
}

// Single-threaded, as the engines of a pool run the nets (one engine per core).
nn::SessionOptions SessionOptionsFor(Net net, nn::Precision precision) {
  nn::SessionOptions options;
  if (net == Net::kSsd) options = face::SsdSessionOptions(precision);
  options.precision = precision;
  options.threads = 1;
  return options;
}

// Every runner `auto` may choose for `net`: f32 on each backend, and the precisions that hold
// parity for the net and run natively on this CPU.
std::vector<nn::Runner> Candidates(Net net) {
  std::vector<nn::Runner> out = {{nn::Backend::kOpenCv, nn::Precision::kF32}};
  if (nn::BackendAvailable(nn::Backend::kOneDnn)) {
    out.push_back({nn::Backend::kOneDnn, nn::Precision::kF32});
    for (const nn::Precision p : {nn::Precision::kBf16, nn::Precision::kInt8}) {
      if (HoldsParityAt(net, p) && nn::PrecisionAvailable(nn::Backend::kOneDnn, p)) {
        out.push_back({nn::Backend::kOneDnn, p});
      }
    }
  }
  return out;
}

double MedianOf(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown CPU";
}

// FNV-1a: the key needs to change with the models' bytes, not to resist forgery.
uint64_t Fnv1a(std::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (const unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::filesystem::path DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "facetag";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".cache" / "facetag";
  }
  return std::filesystem::temp_directory_path() / "facetag";
}

json ToJson(const BackendChoices& choices) {
  json nets = json::object();
  for (const auto& [net, choice] : choices.nets) {
    nets[NetName(net)] = {{"choice", choice.runner.Name()}, {"median_ms", choice.median_ms}};
  }
  return {{"key", choices.key}, {"nets", nets}};
}

std::optional<nn::Runner> RunnerByName(Net net, const std::string& name) {
  for (const nn::Runner& r : Candidates(net)) {
    if (r.Name() == name) return r;
  }
  return std::nullopt;
}

// The cached choices, when the file is there, readable, for `key`, and names runners this build has.
std::optional<BackendChoices> ReadCache(const std::filesystem::path& file, const std::string& key) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  try {
    const json j = json::parse(in);
    if (j.at("key").get<std::string>() != key) return std::nullopt;
    BackendChoices choices;
    for (const Net net : kAllNets) {
      const json& n = j.at("nets").at(NetName(net));
      auto runner = RunnerByName(net, n.at("choice").get<std::string>());
      if (!runner) return std::nullopt;
      choices.nets[net] = {*runner, n.at("median_ms").get<std::map<std::string, double>>()};
    }
    choices.key = key;
    choices.cache_file = file;
    return choices;
  } catch (const json::exception&) {
    return std::nullopt;  // damaged or from another version: measure again
  }
}

// Written to a temporary file and renamed, so a reader never sees half a file.
void WriteCache(const BackendChoices& choices) {
  std::error_code ec;
  std::filesystem::create_directories(choices.cache_file.parent_path(), ec);
  const auto tmp = choices.cache_file.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    out << ToJson(choices).dump(2) << '\n';
    if (!out) return;  // a read-only cache only costs a measurement next time
  }
  std::filesystem::rename(tmp, choices.cache_file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

const char* NetName(Net net) {
  switch (net) {
    case Net::kSsd:
      return "ssd";
    case Net::kTiny:
      return "tiny";
    case Net::kLandmarks:
      return "landmarks";
    case Net::kDescriptor:
      return "descriptor";
  }
  return "unknown";
}

bool HoldsParityAt(Net net, nn::Precision precision) {
  switch (precision) {
    case nn::Precision::kF32:
      return true;
    case nn::Precision::kBf16:
      return net == Net::kDescriptor;
    case nn::Precision::kInt8:
      return false;
  }
  return false;
}

nn::Runner NetChoice::FastestAt(nn::Precision precision) const {
  if (runner.precision == precision) return runner;
  nn::Runner best{nn::Backend::kOpenCv, precision};
  double best_ms = 0;
  for (const nn::Backend backend : {nn::Backend::kOpenCv, nn::Backend::kOneDnn}) {
    const auto it = median_ms.find(nn::Runner{backend, precision}.Name());
    if (it != median_ms.end() && (best_ms == 0 || it->second < best_ms)) {
      best = {backend, precision};
      best_ms = it->second;
    }
  }
  return best;
}

Result<std::string> BackendChoiceKey(const std::filesystem::path& model_dir) {
  // Hashing the models (46 MB) costs ~30 ms: once per process and folder.
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::string> model_hashes;
  std::string models;
  {
    std::lock_guard lock(mutex);
    auto it = model_hashes.find(model_dir);
    if (it == model_hashes.end()) {
      for (const Net net : kAllNets) {
        const auto path = model_dir / ProbeFor(net).file;
        if (!std::filesystem::exists(path))
          return NotFound("cannot read " + path.string() + " (run scripts/setup.sh)");
        auto hash = HashFile(path);
        if (!hash.ok()) return hash.status();
        models += hash->substr(0, 16);
      }
      it = model_hashes.emplace(model_dir, models).first;
    }
    models = it->second;
  }
  std::string key = CpuModel();
  key += " | " + nn::BackendSignature(nn::Backend::kOpenCv);
  if (nn::BackendAvailable(nn::Backend::kOneDnn)) key += " | " + nn::BackendSignature(nn::Backend::kOneDnn);
  return key + " | models " + models;
}

Result<BackendChoices> MeasureBackendChoices(const std::filesystem::path& model_dir,
                                             const MeasureOptions& options) {
  auto key = BackendChoiceKey(model_dir);
  if (!key.ok()) return key.status();
  BackendChoices choices;
  choices.key = *key;
  choices.measured_now = true;
  // OpenCV DNN's threads are the process's (nn::SetOpenCvThreads): one while measuring.
  const int opencv_threads_before = nn::OpenCvThreads();
  nn::SetOpenCvThreads(1);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> pixel(-1.f, 1.f);
  Status failed = Status::Ok();
  for (const Net net : kAllNets) {
    const NetProbe probe = ProbeFor(net);
    nn::Tensor input(probe.input_shape);
    for (float& v : input.data) v = pixel(rng);
    NetChoice& choice = choices.nets[net];
    double best = 0;
    for (const nn::Runner& runner : Candidates(net)) {
      if (options.progress) options.progress(std::string("timing ") + NetName(net) + " on " + runner.Name());
      auto session =
          nn::OpenSession(runner.backend, model_dir / probe.file, SessionOptionsFor(net, runner.precision));
      if (!session.ok()) continue;                 // this runner cannot run the net: not a candidate
      if (!(*session)->Run(input).ok()) continue;  // warm-up: builds plans, touches weights
      std::vector<double> ms;
      for (int i = 0; i < std::max(1, options.runs); ++i) {
        const auto t0 = Clock::now();
        if (options.during_run) options.during_run(net, runner);
        const bool ok = (*session)->Run(input).ok();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!ok) ms.clear();
        if (!ok) break;
      }
      if (ms.empty()) continue;
      const double median = MedianOf(ms);
      choice.median_ms[runner.Name()] = median;
      if (best == 0 || median < best) {
        best = median;
        choice.runner = runner;
      }
    }
    if (choice.median_ms.empty()) {
      failed = Internal(std::string("no backend runs the ") + NetName(net) + " net (" + probe.file + ")");
      break;
    }
  }
  nn::SetOpenCvThreads(opencv_threads_before);
  if (!failed.ok()) return failed;
  return choices;
}

Result<BackendChoices> AutoBackendChoices(const std::filesystem::path& model_dir,
                                          const MeasureOptions& options,
                                          const std::filesystem::path& cache_dir) {
  static std::mutex mutex;
  static std::map<std::string, BackendChoices> known;  // by key and cache folder
  auto key = BackendChoiceKey(model_dir);
  if (!key.ok()) return key.status();
  const std::filesystem::path dir = cache_dir.empty() ? DefaultCacheDir() : cache_dir;
  const std::filesystem::path file = dir / ("backend-choice-" + Hex(Fnv1a(*key)) + ".json");
  std::lock_guard lock(mutex);
  if (auto it = known.find(file.string() + "\n" + *key); it != known.end()) return it->second;
  std::optional<BackendChoices> choices = ReadCache(file, *key);
  if (!choices) {
    auto measured = MeasureBackendChoices(model_dir, options);
    if (!measured.ok()) return measured.status();
    measured->cache_file = file;
    WriteCache(*measured);
    choices = std::move(*measured);
  }
  known[file.string() + "\n" + *key] = *choices;
  return *choices;
}

}  // namespace facetag::pipeline

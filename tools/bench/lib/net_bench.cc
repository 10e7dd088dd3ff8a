// Times each converted net through the same InferenceSession the engine uses.
#include <algorithm>
#include <chrono>
#include <random>

#include "bench/lib/bench.h"
#include "face/faceapi/ssd_detector.h"
#include "nn/session.h"

namespace facetag {
namespace {

struct NetSpec {
  const char* label;
  const char* file;
  std::vector<std::string> outputs;
  int size;
  int batch;
  double gflop_per_item;  // 2 x multiply-adds, from docs/MODELS.md
};

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

std::vector<InferenceBackend> AvailableBackends() {
  std::vector<InferenceBackend> out = {InferenceBackend::kOpenCv};
  if (nn::BackendAvailable(nn::Backend::kOneDnn)) out.push_back(InferenceBackend::kOneDnn);
  return out;
}

bool FastInt8Available(InferenceBackend backend) {
  return backend == InferenceBackend::kOneDnn &&
         nn::PrecisionAvailable(nn::Backend::kOneDnn, nn::Precision::kInt8);
}

Result<std::vector<NetTiming>> BenchmarkNets(const std::filesystem::path& model_dir, int runs,
                                             int max_threads, const std::vector<InferenceBackend>& backends) {
  const NetSpec specs[] = {
      {"ssd_mobilenetv1 512", "ssd_mobilenetv1.onnx", {"boxes", "scores"}, 512, 1, 6.286},
      {"tiny_face_detector 416", "tiny_face_detector.onnx", {}, 416, 1, 0.398},
      {"landmarks 112 x1", "face_landmark_68.onnx", {}, 112, 1, 0.104},
      {"landmarks 112 x8", "face_landmark_68.onnx", {}, 112, 8, 0.104},
      {"descriptor 150 x1", "face_recognition.onnx", {}, 150, 1, 0.542},
      {"descriptor 150 x8", "face_recognition.onnx", {}, 150, 8, 0.542},
  };
  std::vector<int> thread_counts = {1};
  if (max_threads > 1) thread_counts.push_back(max_threads);

  std::mt19937 rng(42);
  std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
  std::vector<NetTiming> out;
  for (const InferenceBackend which : backends) {
    const nn::Backend backend =
        which == InferenceBackend::kOneDnn ? nn::Backend::kOneDnn : nn::Backend::kOpenCv;
    for (const NetSpec& spec : specs) {
      nn::Tensor input({spec.batch, 3, spec.size, spec.size});
      for (float& v : input.data) v = noise(rng);
      const bool ssd = std::string(spec.file) == "ssd_mobilenetv1.onnx";
      std::vector<nn::Precision> precisions = {nn::Precision::kF32};
      if (ssd && nn::PrecisionAvailable(backend, nn::Precision::kInt8))
        precisions.push_back(nn::Precision::kInt8);
      if (nn::PrecisionAvailable(backend, nn::Precision::kBf16)) precisions.push_back(nn::Precision::kBf16);
      for (const nn::Precision precision : precisions) {
        for (int threads : thread_counts) {
          // Several threads share a net either inside each layer (the backend's threads) or, for a
          // batch, by splitting it between copies of the net.
          std::vector<int> shard_counts = {1};
          if (threads > 1 && spec.batch > 1) shard_counts.push_back(threads);
          for (int shards : shard_counts) {
            nn::SessionOptions session_options = {spec.outputs, shards, precision};
            if (ssd) {
              session_options = face::SsdSessionOptions(precision);
              session_options.shards = shards;
            }
            session_options.threads = threads;  // the shards share them
            nn::SetOpenCvThreads(shards > 1 ? 1 : threads);
            auto session = nn::OpenSession(backend, model_dir / spec.file, session_options);
            if (!session.ok()) return session.status();
            std::vector<double> ms;
            for (int i = 0; i < runs + 2; ++i) {
              const auto t0 = std::chrono::steady_clock::now();
              auto r = (*session)->Run(input);
              if (!r.ok()) return r.status();
              if (i >= 2)
                ms.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
            out.push_back({nn::BackendName(backend), spec.label, nn::PrecisionName(precision), spec.batch,
                           threads,
                           threads == 1 ? "-"
                           : shards > 1 ? "batch"
                                        : "layers",
                           Median(ms), spec.gflop_per_item * spec.batch});
          }
        }
      }
    }
  }
  nn::SetOpenCvThreads(0);
  return out;
}

}  // namespace facetag

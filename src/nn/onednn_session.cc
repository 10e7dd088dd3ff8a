// The oneDNN backend: the ONNX file is parsed once (nn/onnx_model.h); a plan of primitives is
// built per input shape on first use and kept (nn/onednn_plan.h), so steady-state calls only run
// kernels. Threads: Debian's oneDNN uses OpenMP, whose thread count is per calling thread, so
// each Run sets its session's own count (the sharded session runs copies on own threads).
#include <algorithm>
#include <map>
#include <mutex>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "nn/backends.h"
#include "nn/onednn_plan.h"
#include "nn/onnx_model.h"

namespace facetag::nn {
namespace {

// Plans kept per session; a caller cycling through more batch sizes than this rebuilds the
// oldest (weights stay reordered in the weight cache, so a rebuild is cheap).
constexpr size_t kMaxPlans = 16;

const dnnl::engine& CpuEngine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// A model file parsed once per process, with its weights in the kernels' layouts: every session
// of the file shares them. The engines of a multi-worker run (one per core) would otherwise each
// parse the 22 MB files and reorder the weights again, most of a short run's start-up.
struct LoadedModel {
  OnnxModel model;
  OneDnnWeightCache weights;
};

Result<std::shared_ptr<LoadedModel>> LoadShared(const std::filesystem::path& path) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<LoadedModel>> loaded;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto mtime = std::filesystem::last_write_time(path, ec).time_since_epoch().count();
  // A file rewritten since (a new conversion) is parsed again.
  const std::string key = path.string() + "\n" + std::to_string(size) + "\n" + std::to_string(mtime);
  std::lock_guard lock(mutex);
  if (auto alive = loaded[key].lock()) return alive;
  auto model = ReadOnnxModel(path);
  if (!model.ok()) return model.status();
  auto entry = std::make_shared<LoadedModel>();
  entry->model = std::move(*model);
  loaded[key] = entry;
  return entry;
}

class OneDnnSession final : public InferenceSession {
 public:
  // `threads` (0: all cores) are shared by `shards` copies of this session run side by side, so
  // that the copies' OpenMP teams do not oversubscribe the cores.
  OneDnnSession(std::filesystem::path onnx_path, std::shared_ptr<LoadedModel> model,
                std::vector<std::string> outputs, int threads, int shards, OneDnnQuantization quantization)
      : onnx_path_(std::move(onnx_path)),
        model_(std::move(model)),
        outputs_(std::move(outputs)),
        threads_(threads),
        shards_(std::max(1, shards)),
        quantization_(quantization),
        stream_(CpuEngine()) {}

  Result<std::vector<Tensor>> Run(const Tensor& input) override {
    if (input.size() != Tensor::ElementCount(input.shape) || input.shape.empty()) {
      return InvalidArgument("input tensor shape does not match its data");
    }
#ifdef _OPENMP
    omp_set_num_threads(std::max(1, (threads_ > 0 ? threads_ : omp_get_num_procs()) / shards_));
#endif
    if (opencv_) return opencv_->Run(input);
    auto it = plans_.find(input.shape);
    if (it == plans_.end()) {
      if (plans_.size() >= kMaxPlans) plans_.erase(plans_.begin());
      auto plan = OneDnnPlan::Build(model_->model, outputs_, input.shape, CpuEngine(), stream_,
                                    model_->weights, quantization_, &layout_);
      if (!plan.ok() && plan.status().code() == ErrorCode::kUnsupported) return RunOnOpenCv(input);
      if (!plan.ok()) return plan.status();
      it = plans_.emplace(input.shape, std::move(*plan)).first;
    }
    return it->second->Run(input, stream_);
  }

 private:
  // oneDNN cannot run this net here, or only on reference kernels (5-30x slower): OpenCV DNN
  // runs it from now on, at f32, which is what every backend is checked against.
  Result<std::vector<Tensor>> RunOnOpenCv(const Tensor& input) {
    SessionOptions options;
    options.output_names = outputs_;
    auto opencv = OpenOpenCvSession(onnx_path_, options);
    if (!opencv.ok()) return opencv.status();
    opencv_ = std::move(*opencv);
    plans_.clear();
    return opencv_->Run(input);
  }

  std::filesystem::path onnx_path_;
  std::shared_ptr<LoadedModel> model_;
  std::vector<std::string> outputs_;
  int threads_;
  int shards_;
  OneDnnQuantization quantization_;
  dnnl::stream stream_;
  std::map<std::vector<int>, std::unique_ptr<OneDnnPlan>> plans_;
  std::unique_ptr<InferenceSession> opencv_;  // set once oneDNN has no fast plan for this net
  size_t layout_ = 0;                         // the activation layout the last plan used
};

}  // namespace

Result<std::unique_ptr<InferenceSession>> OpenOneDnnSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options) {
  if (options.precision == Precision::kBf16 && !OneDnnBf16Native()) {
    return Unsupported("bf16 needs a CPU with AVX512-BF16 or AMX (this one runs oneDNN at " +
                       OneDnnIsaName() + ")");
  }
  OneDnnQuantization quantization;
  quantization.bf16 = options.precision == Precision::kBf16;
  quantization.int8 = options.precision == Precision::kInt8;
  quantization.input_max_abs = options.input_max_abs;
  quantization.min_input_channels = options.int8_min_input_channels;
  auto shared = LoadShared(onnx_path);
  if (!shared.ok()) return shared.status();
  std::vector<std::string> outputs = options.output_names;
  if (outputs.empty()) {
    if ((*shared)->model.outputs.empty())
      return Corrupt(onnx_path.string() + ": the model declares no output");
    outputs.push_back((*shared)->model.outputs[0].name);
  }
  try {
    return std::unique_ptr<InferenceSession>(new OneDnnSession(
        onnx_path, std::move(*shared), std::move(outputs), options.threads, options.shards, quantization));
  } catch (const dnnl::error& e) {
    return Internal(std::string("oneDNN: ") + e.what());
  }
}

std::string OneDnnIsaName() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other";
  }
}

std::string OneDnnSignature() {
  const dnnl_version_t* v = dnnl_version();
  return "onednn " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " " + OneDnnIsaName();
}

bool OneDnnBf16Native() {
  const auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

bool OneDnnInt8Fast() {
  // cpu_isa values are bit sets: every ISA from AVX2 up contains AVX2's bits.
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto avx2 = static_cast<unsigned>(dnnl::cpu_isa::avx2);
  return (isa & avx2) == avx2;
}

}  // namespace facetag::nn

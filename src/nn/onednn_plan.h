// An ONNX model compiled into oneDNN primitives for one input shape. Built once per shape and
// reused on every call with that shape: primitives are created, weights reordered into the
// layouts the chosen kernels prefer, and activation buffers laid out (reused between layers
// whose values are no longer live) up front, so Run only executes.
//
// No reference kernels: oneDNN falls back to its slow reference implementation ("ref:any", often
// 5-30x slower) when no JIT kernel takes the layouts it is given, and which combinations have one
// differs per ISA (oneDNN 2.6 on AVX-512: none for a depthwise convolution from a blocked source
// into an nhwc destination, which AVX2 runs fine). So every primitive's implementation is read back
// after it is created; a reference one is replaced by the same primitive on other layouts
// (the kernel's own choice, then nChw16c, nChw8c, nhwc, plain), with reorders at the edges, and
// Build fails with kUnsupported when none has a JIT kernel (the session then runs that net on
// OpenCV DNN).
//
// Fusions, as oneDNN does them: Conv + bias + Relu/Clip/LeakyRelu in one primitive (eltwise
// post-op); Conv followed by Add of an earlier value becomes a sum post-op (in place when that
// value dies there), with the Relu after the Add as a further post-op.
//
// int8 (OneDnnQuantization::int8): a convolution runs on u8/s8 activations and s8 weights when the
// range of its input is known. Ranges come from the graph, not from data: the net's input range
// is given by the caller (its normalisation fixes it) and a Clip(0, max) after a convolution (the
// ReLU6 of MobileNet) bounds that convolution's output to [0, max], so it is stored as u8 with
// scale max / 255 when every reader is another convolution. That needs no calibration set and is
// deterministic; a convolution whose input range is unknown (after a plain Relu) stays f32, and so
// does one with fewer input channels than asked (the caller's accuracy / speed trade-off).
// Weights are quantised per output channel, symmetric (scale = max|w| / 127); oneDNN's own
// reorder then adds what its kernels need (on AVX2 without VNNI: weights halved against the
// vpmaddubsw overflow, and the s8-source compensation). Outputs that leave the convolutions
// (heads, anything read by another operator) are f32, so every other operator is unchanged.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "facetag/status.h"
#include "nn/onnx_model.h"
#include "nn/tensor.h"

namespace facetag::nn {

// Weights in the layout one primitive wants, shared by all plans of one net (a new input shape
// only reorders again when its kernels want another layout), and by every session of the net in
// the process; thread-safe.
class OneDnnWeightCache {
 public:
  dnnl::memory Get(const std::string& key, const dnnl::memory& plain, const dnnl::memory::desc& wanted,
                   dnnl::stream& stream);

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<dnnl::memory>> cache_;
};

struct OneDnnQuantization {
  // bf16: convolutions take bf16 activations and weights, accumulate in f32, and write bf16 where
  // only convolutions read the result (f32 elsewhere); outputs are f32. Needs AVX512-BF16 or AMX
  // for native kernels.
  bool bf16 = false;
  bool int8 = false;
  // The largest |value| the net's input takes (0: unknown, the first convolution stays f32).
  float input_max_abs = 0;
  // Convolutions with fewer input channels stay f32 (0: none do).
  int min_input_channels = 0;
};

class OneDnnPlan {
 public:
  // `outputs`: value names to return, in order. `layout_hint` (optional): the activation layout to
  // try first, an index into the layouts Build tries; set to the one that worked, so that the
  // next shape of the same net skips the layouts that fell back to reference kernels.
  static Result<std::unique_ptr<OneDnnPlan>> Build(
      const OnnxModel& model, const std::vector<std::string>& outputs, const std::vector<int>& input_shape,
      const dnnl::engine& engine, dnnl::stream& stream, OneDnnWeightCache& weights,
      const OneDnnQuantization& quantization = {}, size_t* layout_hint = nullptr);

  // Runs on `input` (its shape must be the one the plan was built for).
  Result<std::vector<Tensor>> Run(const Tensor& input, dnnl::stream& stream);

  // Multiply-adds of the convolutions and fully connected layers per call, for share-of-peak
  // figures.
  double conv_macs() const { return conv_macs_; }

  // The kernel oneDNN picked for each primitive, in execution order ("jit:avx512_core", ...).
  // Never a reference ("ref:...") kernel: Build tries other layouts and fails without one.
  struct Kernel {
    std::string layer;  // the ONNX node (and operator) the primitive runs
    std::string implementation;
  };
  const std::vector<Kernel>& kernels() const { return kernels_; }

  struct Step {
    dnnl::primitive primitive;
    std::unordered_map<int, dnnl::memory> args;
    dnnl::memory zero_fill;  // when set: zeroed before the primitive runs (Pad targets)
  };

 private:
  friend class OneDnnPlanBuilder;
  OneDnnPlan() = default;

  std::vector<std::shared_ptr<void>> buffers_;  // activation storage, owned here
  std::vector<Step> steps_;
  dnnl::memory input_;
  std::vector<dnnl::memory> outputs_;  // plain row-major
  double conv_macs_ = 0;
  std::vector<Kernel> kernels_;
};

}  // namespace facetag::nn

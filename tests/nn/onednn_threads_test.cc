// oneDNN plans on several threads: a plan built while another thread builds one computes what it
// computes when built alone, and a plan runs on any thread, not only the one that built it.
//
// oneDNN 2.6 (Debian 12's) keeps a process-wide block size from the weights' data type while it
// creates a brgemm convolution (fixed in oneDNN 2.7), so an f32 convolution over 3 input channels
// created while a bf16 convolution is being created could read 4 channels and compute garbage.
// The indexer does exactly that when it starts: one engine per core, building their f32 landmark
// and bf16 descriptor plans side by side.
#include <gtest/gtest.h>

#include <atomic>
#include <dnnl.hpp>
#include <string>
#include <thread>
#include <vector>

#include "nn/backends.h"
#include "nn/onednn_plan.h"
#include "nn/onnx_model.h"

namespace facetag::nn {
namespace {

// A net of one 3x3 convolution with fixed weights: `channels` in, `filters` out.
OnnxModel OneConvolution(int channels, int filters, int side, int stride, int pad) {
  OnnxModel model;
  model.inputs = {{"x", {1, channels, side, side}}};
  OnnxTensor weights{{filters, channels, 3, 3}, {}, {}, false};
  for (int i = 0; i < filters * channels * 9; ++i)
    weights.floats.push_back(static_cast<float>((i * 7) % 13) / 13.f - 0.5f);
  model.initializers["W"] = weights;
  model.initializers["B"] =
      OnnxTensor{{filters}, std::vector<float>(static_cast<size_t>(filters), 0.1f), {}, false};
  OnnxNode conv{"Conv", "conv", {"x", "W", "B"}, {"y"}, {}};
  conv.attrs["kernel_shape"].ints = {3, 3};
  conv.attrs["strides"].ints = {stride, stride};
  conv.attrs["pads"].ints = {pad, pad, pad, pad};
  model.nodes = {conv};
  const int out = (side + 2 * pad - 3) / stride + 1;
  model.outputs = {{"y", {1, filters, out, out}}};
  return model;
}

Tensor Pattern(const std::vector<int>& shape) {
  Tensor t(shape);
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(i % 251) / 251.f;
  return t;
}

class PlanBuilder {
 public:
  PlanBuilder(OnnxModel model, std::vector<int> shape, OneDnnQuantization quantization)
      : model_(std::move(model)), shape_(std::move(shape)), quantization_(quantization) {}

  // Builds a new plan (creating its primitives anew: the tests turn oneDNN's cache off).
  std::unique_ptr<OneDnnPlan> Build() {
    size_t layout = kNhwc;
    auto plan = OneDnnPlan::Build(model_, {"y"}, shape_, engine_, stream_, weights_, quantization_, &layout);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    if (!plan.ok()) return nullptr;
    for (const auto& k : (*plan)->kernels()) {
      if (k.layer.find("Conv") != std::string::npos) kernel_ = k.implementation;
    }
    return std::move(*plan);
  }
  // Runs `plan` on the fixed input, with `stream` (this builder's when null).
  std::vector<float> Run(OneDnnPlan& plan, dnnl::stream* stream = nullptr) {
    auto out = plan.Run(Pattern(shape_), stream != nullptr ? *stream : stream_);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() && !out->empty() ? (*out)[0].data : std::vector<float>{};
  }
  std::vector<float> BuildAndRun() {
    const auto plan = Build();
    return plan ? Run(*plan) : std::vector<float>{};
  }
  const dnnl::engine& engine() const { return engine_; }
  const std::string& kernel() const { return kernel_; }

 private:
  // Activations in NHWC, where oneDNN picks its brgemm convolutions (as it does for the face nets).
  static constexpr size_t kNhwc = 1;
  OnnxModel model_;
  std::vector<int> shape_;
  OneDnnQuantization quantization_;
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  OneDnnWeightCache weights_;
  std::string kernel_;
};

// oneDNN creates a primitive once and serves it from its cache after that; without the cache every
// build creates its primitives again, so every round is a chance for the race.
class WithoutPrimitiveCache : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = dnnl::get_primitive_cache_capacity();
    dnnl::set_primitive_cache_capacity(0);
  }
  void TearDown() override { dnnl::set_primitive_cache_capacity(saved_); }

 private:
  int saved_ = 0;
};

TEST_F(WithoutPrimitiveCache, AnF32PlanBuiltWhileABf16PlanIsBuiltComputesWhatItComputesAlone) {
  if (!OneDnnBf16Native()) GTEST_SKIP() << "no native bf16 on this CPU (" << OneDnnIsaName() << ")";
  PlanBuilder f32(OneConvolution(3, 32, 112, 2, 0), {1, 3, 112, 112}, {});
  OneDnnQuantization bf16_quantization;
  bf16_quantization.bf16 = true;
  PlanBuilder bf16(OneConvolution(128, 128, 8, 1, 1), {1, 128, 8, 8}, bf16_quantization);
  const std::vector<float> alone = f32.BuildAndRun();
  ASSERT_FALSE(alone.empty());

  // Without the gate around plan building, about 6 in 1000 rounds differed here (AMX Xeon, oneDNN
  // 2.6.3): 2000 rounds catch it all but always.
  constexpr int kRounds = 2000;
  std::atomic<bool> done{false};
  std::thread beside([&] {
    while (!done) bf16.BuildAndRun();
  });
  int differing = 0;
  for (int round = 0; round < kRounds; ++round) {
    if (f32.BuildAndRun() != alone) ++differing;
  }
  done = true;
  beside.join();
  EXPECT_EQ(differing, 0) << "of " << kRounds << " f32 plans (" << f32.kernel()
                          << ") built beside bf16 ones (" << bf16.kernel() << ")";
}

// Plans of f32 convolutions only are built side by side (the gate lets them): each still computes
// what it computes alone.
TEST_F(WithoutPrimitiveCache, F32PlansBuiltSideBySideComputeWhatTheyComputeAlone) {
  PlanBuilder first(OneConvolution(3, 32, 112, 2, 0), {1, 3, 112, 112}, {});
  PlanBuilder second(OneConvolution(32, 64, 28, 1, 1), {1, 32, 28, 28}, {});
  const std::vector<float> first_alone = first.BuildAndRun();
  const std::vector<float> second_alone = second.BuildAndRun();
  constexpr int kRounds = 500;
  std::atomic<bool> done{false};
  std::atomic<int> second_differing{0};
  std::thread beside([&] {
    while (!done)
      if (second.BuildAndRun() != second_alone) ++second_differing;
  });
  int first_differing = 0;
  for (int round = 0; round < kRounds; ++round) {
    if (first.BuildAndRun() != first_alone) ++first_differing;
  }
  done = true;
  beside.join();
  EXPECT_EQ(first_differing, 0) << "of " << kRounds;
  EXPECT_EQ(second_differing, 0);
}

TEST(OneDnnPlanThreads, APlanBuiltOnOneThreadRunsOnAnother) {
  PlanBuilder builder(OneConvolution(3, 32, 112, 2, 0), {1, 3, 112, 112}, {});
  const std::vector<float> alone = builder.BuildAndRun();
  const auto plan = builder.Build();
  ASSERT_NE(plan, nullptr);
  for (int round = 0; round < 4; ++round) {
    std::vector<float> elsewhere;
    std::thread([&] {
      dnnl::stream own(builder.engine());
      elsewhere = builder.Run(*plan, &own);
    }).join();
    EXPECT_EQ(elsewhere, alone) << "round " << round;
  }
}

}  // namespace
}  // namespace facetag::nn

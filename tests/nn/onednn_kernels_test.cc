// Every net's oneDNN plan, at the instruction-set level this process is capped to, runs on JIT
// kernels only. oneDNN's reference kernels are correct but 5-30x slower, and which layouts have a
// JIT kernel differs per ISA, so CTest runs this binary once per level (ONEDNN_MAX_CPU_ISA, see
// tests/nn/CMakeLists.txt); a level this CPU does not have is skipped, saying so.
#include <gtest/gtest.h>

#include <cstdlib>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <vector>

#include "nn/onednn_plan.h"
#include "nn/onnx_model.h"
#include "nn/session.h"
#include "support/test_env.h"

namespace facetag::nn {
namespace {

struct NetShape {
  std::string file;
  std::vector<std::vector<int>> input_shapes;  // every shape the pipeline and the service use
};

std::vector<NetShape> Nets() {
  return {
      {"ssd_mobilenetv1.onnx", {{1, 3, 512, 512}}},
      // 416: face-api's default; the others: the service's detector fitted to small images.
      {"tiny_face_detector.onnx", {{1, 3, 416, 416}, {1, 3, 160, 160}, {1, 3, 288, 288}}},
      {"face_landmark_68.onnx", {{1, 3, 112, 112}, {4, 3, 112, 112}, {8, 3, 112, 112}}},
      {"face_recognition.onnx", {{1, 3, 150, 150}, {8, 3, 150, 150}}},
  };
}

// The ISA the test was asked to run at, or "" when uncapped.
std::string RequestedIsa() {
  const char* isa = std::getenv("ONEDNN_MAX_CPU_ISA");
  return isa ? isa : "";
}

dnnl::cpu_isa IsaByName(const std::string& name) {
  if (name == "AVX2") return dnnl::cpu_isa::avx2;
  if (name == "AVX512_CORE") return dnnl::cpu_isa::avx512_core;
  if (name == "AVX512_CORE_VNNI") return dnnl::cpu_isa::avx512_core_vnni;
  if (name == "AVX512_CORE_BF16") return dnnl::cpu_isa::avx512_core_bf16;
  if (name == "AVX512_CORE_AMX") return dnnl::cpu_isa::avx512_core_amx;
  return dnnl::cpu_isa::all;
}

void ExpectJitKernelsOnly(const OneDnnQuantization& quantization, const std::string& precision) {
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  for (const NetShape& net : Nets()) {
    if (quantization.int8 && net.file != "ssd_mobilenetv1.onnx") continue;   // int8: the SSD only
    if (quantization.bf16 && net.file != "face_recognition.onnx") continue;  // bf16: the descriptor
    auto model = ReadOnnxModel(testing::ModelDirOrFail() / net.file);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    std::vector<std::string> outputs;
    for (const auto& o : model->outputs) outputs.push_back(o.name);
    OneDnnWeightCache weights;
    for (const auto& shape : net.input_shapes) {
      auto plan = OneDnnPlan::Build(*model, outputs, shape, engine, stream, weights, quantization);
      // A failed plan names the first layer that only had a reference kernel, per layout tried.
      ASSERT_TRUE(plan.ok()) << net.file << " " << precision << ": " << plan.status().ToString();
      for (const auto& kernel : (*plan)->kernels()) {
        EXPECT_NE(kernel.implementation.rfind("ref", 0), 0u)
            << net.file << " " << precision << " batch " << shape[0] << " size " << shape[2] << ": layer "
            << kernel.layer << " runs " << kernel.implementation;
      }
    }
  }
}

class OneDnnKernels : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string requested = RequestedIsa();
    if (requested.empty()) return;
    const dnnl::cpu_isa want = IsaByName(requested);
    ASSERT_NE(want, dnnl::cpu_isa::all) << "unknown ONEDNN_MAX_CPU_ISA " << requested;
    if (dnnl::get_effective_cpu_isa() != want) {
      GTEST_SKIP() << "this CPU does not have " << requested;
    }
  }
};

TEST_F(OneDnnKernels, NoReferenceKernelInAnyNetAtF32) { ExpectJitKernelsOnly({}, "f32"); }

// bf16 runs the descriptor net (the one net at parity in bf16) where the CPU has native bf16.
TEST_F(OneDnnKernels, NoReferenceKernelInTheDescriptorNetAtBf16) {
  if (!PrecisionAvailable(Backend::kOneDnn, Precision::kBf16))
    GTEST_SKIP() << "no native bf16 at this ISA level";
  OneDnnQuantization bf16;
  bf16.bf16 = true;
  ExpectJitKernelsOnly(bf16, "bf16");
}

TEST_F(OneDnnKernels, NoReferenceKernelInTheSsdAtInt8) {
  OneDnnQuantization int8;
  int8.int8 = true;
  int8.input_max_abs = 1.f;
  int8.min_input_channels = 512;  // the SSD's int8 setting (face/faceapi/ssd_detector.cc)
  ExpectJitKernelsOnly(int8, "int8");
}

}  // namespace
}  // namespace facetag::nn

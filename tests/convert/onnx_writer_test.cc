// The hand-written ONNX encoder must produce files a real ONNX reader accepts and runs as meant.
#include "onnx_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "nn/session.h"

namespace facetag::convert {
namespace {

TEST(OnnxWriter, GraphRunsInTheInferenceBackendWithDynamicBatch) {
  // y = clip(conv1x1(x) + b, 0, 6) with two output channels: x0 + 0.5 and x1 - x2.
  OnnxGraph g("probe");
  g.AddInput("input", {-1, 3, 2, 2});
  const auto w = g.AddFloats("w", {2, 3, 1, 1}, {1, 0, 0, 0, 1, -1});
  const auto b = g.AddFloats("b", {2}, {0.5f, 0});
  const auto conv = g.AddNode("Conv", {"input", w, b}, {OnnxAttribute::Ints("kernel_shape", {1, 1})});
  g.AddNode("Clip", {conv}, {OnnxAttribute::Float("min", 0), OnnxAttribute::Float("max", 6)}, "out");
  g.AddOutput("out", {-1, 2, 2, 2});
  const auto path = std::filesystem::temp_directory_path() / "facetag-onnx-writer-test.onnx";
  ASSERT_TRUE(g.Write(path).ok());

  auto session = nn::OpenSession(nn::Backend::kOpenCv, path, {{"out"}});
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  nn::Tensor x({2, 3, 2, 2});
  for (size_t i = 0; i < x.size(); ++i) x.data[i] = static_cast<float>(i % 9);
  auto y = (*session)->Run(x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_EQ((*y)[0].shape, (std::vector<int>{2, 2, 2, 2}));
  for (int n = 0; n < 2; ++n) {
    for (int p = 0; p < 4; ++p) {
      const float x0 = x.data[(n * 3 + 0) * 4 + p], x1 = x.data[(n * 3 + 1) * 4 + p],
                  x2 = x.data[(n * 3 + 2) * 4 + p];
      EXPECT_FLOAT_EQ((*y)[0].data[(n * 2 + 0) * 4 + p], std::clamp(x0 + 0.5f, 0.0f, 6.0f));
      EXPECT_FLOAT_EQ((*y)[0].data[(n * 2 + 1) * 4 + p], std::clamp(x1 - x2, 0.0f, 6.0f));
    }
  }
  std::filesystem::remove(path);
}

TEST(OnnxWriter, WriteLeavesNoPartialFileBehindOnFailure) {
  OnnxGraph g("probe");
  const auto bad = std::filesystem::path("/nonexistent-dir/model.onnx");
  const Status s = g.Write(bad);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_FALSE(std::filesystem::exists(bad));
}

}  // namespace
}  // namespace facetag::convert

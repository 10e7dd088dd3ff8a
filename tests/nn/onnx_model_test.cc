// The ONNX reader on the converted models and on damaged bytes.
#include "nn/onnx_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_env.h"

namespace facetag::nn {
namespace {

TEST(OnnxModel, ReadsTheRecognitionNet) {
  auto m = ReadOnnxModel(testing::ModelDirOrFail() / "face_recognition.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->opset, 10);
  ASSERT_EQ(m->inputs.size(), 1u);
  EXPECT_EQ(m->inputs[0].name, "input");
  EXPECT_EQ(m->inputs[0].dims, (std::vector<int64_t>{-1, 3, 150, 150}));
  ASSERT_EQ(m->outputs.size(), 1u);
  EXPECT_EQ(m->outputs[0].name, "descriptor");
  const OnnxNode& first = m->nodes.front();
  EXPECT_EQ(first.op_type, "Conv");
  EXPECT_EQ(first.Ints("kernel_shape"), (std::vector<int64_t>{7, 7}));
  EXPECT_EQ(first.Ints("strides"), (std::vector<int64_t>{2, 2}));
  const OnnxTensor& w = m->initializers.at(first.inputs[1]);
  EXPECT_EQ(w.dims, (std::vector<int64_t>{32, 3, 7, 7}));
  EXPECT_EQ(w.floats.size(), 32u * 3 * 7 * 7);
  EXPECT_EQ(m->nodes.back().op_type, "Gemm");
  EXPECT_EQ(m->nodes.back().Int("transB", 0), 1);
}

TEST(OnnxModel, ReadsInt64ShapesAndStringAttributes) {
  auto m = ReadOnnxModel(testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->initializers.at("scores_shape").int64s, (std::vector<int64_t>{0, -1}));
  auto r = ReadOnnxModel(testing::ModelDirOrFail() / "face_recognition.onnx");
  ASSERT_TRUE(r.ok());
  bool saw_pad = false;
  for (const auto& n : r->nodes) {
    if (n.op_type == "Pad") {
      EXPECT_EQ(n.Text("mode", ""), "constant");
      saw_pad = true;
    }
  }
  EXPECT_TRUE(saw_pad);
}

TEST(OnnxModel, TruncatedBytesAreCorruptAtEveryLength) {
  std::ifstream f(testing::ModelDirOrFail() / "face_landmark_68.onnx", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  ASSERT_GT(bytes.size(), 1000u);
  for (size_t len : {size_t{0}, size_t{1}, size_t{7}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    auto m = ParseOnnxModel(std::string_view(bytes).substr(0, len));
    EXPECT_FALSE(m.ok()) << "length " << len;
  }
}

}  // namespace
}  // namespace facetag::nn

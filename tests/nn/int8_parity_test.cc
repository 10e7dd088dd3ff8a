// The oneDNN int8 precision against f32 (issue 6's parity rule): the SSD detector at int8 finds
// the same faces as at f32 (same count, IoU >= 0.9, score within 0.02) and as face-api.js (the
// reference the f32 path is held to) on the faces-bbt group photos and face-api's demo photos.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "face/detector_parity.h"
#include "face/faceapi/ssd_detector.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

std::unique_ptr<FaceDetector> OpenSsd(nn::Precision precision) {
  SsdOptions options;
  options.precision = precision;
  auto detector = OpenFaceApiSsdDetector(testing::ModelDirOrFail(), nn::Backend::kOneDnn, options);
  EXPECT_TRUE(detector.ok()) << detector.status().ToString();
  return detector.ok() ? std::move(*detector) : nullptr;
}

TEST(Int8Parity, SsdFindsTheSameFacesAsF32) {
  auto f32 = OpenSsd(nn::Precision::kF32);
  auto int8 = OpenSsd(nn::Precision::kInt8);
  ASSERT_TRUE(f32 && int8);
  double min_iou = 1, max_score_diff = 0;
  size_t faces = 0;
  const auto photos = testing::LoadReference("detections.jsonl");
  ASSERT_EQ(photos.size(), 11u);  // bbt1..5 and sample1..6
  for (const auto& photo : photos) {
    SCOPED_TRACE(photo.file);
    const Image image = testing::LoadReferenceImage(photo.file);
    ASSERT_FALSE(image.empty());
    auto want = f32->Detect(image);
    auto got = int8->Detect(image);
    ASSERT_TRUE(want.ok() && got.ok());
    EXPECT_EQ(got->size(), want->size());
    for (auto& d : *want) std::printf("f32  %.4f %.0f,%.0f %.0fx%.0f\n", d.score, d.box.x, d.box.y, d.box.width, d.box.height);
    for (auto& d : *got) std::printf("int8 %.4f %.0f,%.0f %.0fx%.0f\n", d.score, d.box.x, d.box.y, d.box.width, d.box.height);
    if (got->size() != want->size()) continue;
    std::vector<bool> used(got->size(), false);
    for (const Detection& w : *want) {
      size_t best = got->size();
      float best_iou = -1;
      for (size_t i = 0; i < got->size(); ++i) {
        const float iou = IntersectionOverUnion((*got)[i].box, w.box);
        if (!used[i] && iou > best_iou) best = i, best_iou = iou;
      }
      ASSERT_LT(best, got->size());
      used[best] = true;
      EXPECT_GE(best_iou, 0.9f);
      EXPECT_NEAR((*got)[best].score, w.score, 0.02f);
      min_iou = std::min<double>(min_iou, best_iou);
      max_score_diff = std::max<double>(max_score_diff, std::fabs((*got)[best].score - w.score));
      ++faces;
    }
  }
  std::printf("[ parity ] ssd int8 vs f32: %zu photos, %zu faces, min IoU %.4f, max |score diff| %.4f\n",
              photos.size(), faces, min_iou, max_score_diff);
}

TEST(Int8Parity, SsdMatchesFaceApi) {
  auto int8 = OpenSsd(nn::Precision::kInt8);
  ASSERT_TRUE(int8);
  ExpectDetectionParity(*int8, "detections.jsonl");
}

}  // namespace
}  // namespace facetag::face
#include "nn/onnx_model.h"
#include "face/preprocess.h"
namespace facetag::face {
TEST(Int8Debug, Ranges) {
  auto model = nn::ReadOnnxModel(testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx");
  ASSERT_TRUE(model.ok());
  std::vector<std::string> names;
  for (const auto& n : model->nodes) if (n.op_type == "Clip") names.push_back(n.outputs[0]);
  auto s = nn::OpenSession(nn::Backend::kOneDnn, testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx", {names});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<float> mx(names.size()), p999(names.size());
  for (const auto& photo : testing::LoadReference("detections.jsonl")) {
    const Image image = testing::LoadReferenceImage(photo.file);
    nn::Tensor input({1, 3, 512, 512});
    const Normalization norm{{127.5f, 127.5f, 127.5f}, 1.0f / 127.5f};
    PadResizeNormalize(image, {0, 0, image.width, image.height}, PadMode::kEnd, 512, norm, input.data.data());
    auto out = (*s)->Run(input);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    for (size_t k = 0; k < names.size(); ++k) {
      auto v = (*out)[k].data;
      std::sort(v.begin(), v.end());
      mx[k] = std::max(mx[k], v.back());
      p999[k] = std::max(p999[k], v[v.size() * 9999 / 10000]);
    }
  }
  for (size_t k = 0; k < names.size(); ++k) std::printf("%s max %.3f p9999 %.3f\n", names[k].c_str(), mx[k], p999[k]);
}
}
#include <chrono>
namespace facetag::face {
TEST(Int8Debug, Speed) {
  for (auto p : {nn::Precision::kF32, nn::Precision::kInt8, nn::Precision::kF32, nn::Precision::kInt8}) {
    nn::SessionOptions o; o.output_names = {"boxes", "scores"}; o.precision = p; o.input_max_abs = 1;
    auto s = nn::OpenSession(nn::Backend::kOneDnn, testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx", o);
    ASSERT_TRUE(s.ok());
    nn::SetInferenceThreads(1);
    nn::Tensor input({1, 3, 512, 512});
    for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = float(i % 255) / 127.5f - 1;
    std::vector<double> ms;
    for (int i = 0; i < 14; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      ASSERT_TRUE((*s)->Run(input).ok());
      if (i >= 2) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: median %.2f ms\n", nn::PrecisionName(p), ms[ms.size() / 2]);
  }
}
}

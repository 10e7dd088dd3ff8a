// The oneDNN int8 precision against f32 (issue 6's parity rule) on the faces-bbt group photos and
// face-api's demo photos: the SSD detector at int8 finds the same faces as at f32 (same count,
// IoU >= 0.9, score within 0.02) and as face-api.js (the reference f32 is held to).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "face/detector_parity.h"
#include "face/faceapi/ssd_detector.h"
#include "face/preprocess.h"
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
    ASSERT_EQ(got->size(), want->size());
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

// The int8 plan really runs other arithmetic (a plan that silently stayed f32 would pass the
// parity tests above): raw outputs differ from f32, by little.
TEST(Int8Parity, SsdRawOutputsDifferFromF32ByLittle) {
  const auto path = testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx";
  auto f32 = nn::OpenSession(nn::Backend::kOneDnn, path, SsdSessionOptions(nn::Precision::kF32));
  auto int8 = nn::OpenSession(nn::Backend::kOneDnn, path, SsdSessionOptions(nn::Precision::kInt8));
  ASSERT_TRUE(f32.ok() && int8.ok());
  const Image image = testing::LoadReferenceImage("faces-bbt/bbt1.jpg");
  nn::Tensor input({1, 3, 512, 512});
  PadResizeNormalize(image, {0, 0, image.width, image.height}, PadMode::kEnd, 512,
                     {{127.5f, 127.5f, 127.5f}, 1.0f / 127.5f}, input.data.data());
  auto want = (*f32)->Run(input);
  auto got = (*int8)->Run(input);
  ASSERT_TRUE(want.ok() && got.ok());
  ASSERT_EQ(got->size(), 2u);
  double max_diff = 0, sum_diff = 0;
  for (size_t o = 0; o < 2; ++o) {
    ASSERT_EQ((*got)[o].shape, (*want)[o].shape);
    for (size_t i = 0; i < (*want)[o].size(); ++i) {
      const double d = std::fabs((*got)[o].data[i] - (*want)[o].data[i]);
      max_diff = std::max(max_diff, d);
      sum_diff += d;
    }
  }
  const double mean_diff = sum_diff / ((*want)[0].size() + (*want)[1].size());
  std::printf("ssd int8 raw outputs: max abs diff %.3g, mean %.3g\n", max_diff, mean_diff);
  EXPECT_GT(max_diff, 1e-3);
  EXPECT_LT(mean_diff, 0.1);  // box encodings and logits of magnitude ~1-10
}

TEST(Int8Parity, OtherBackendsAndPrecisionsAreRefusedClearly) {
  const auto path = testing::ModelDirOrFail() / "ssd_mobilenetv1.onnx";
  auto opencv = nn::OpenSession(nn::Backend::kOpenCv, path, SsdSessionOptions(nn::Precision::kInt8));
  ASSERT_FALSE(opencv.ok());
  EXPECT_EQ(opencv.status().code(), ErrorCode::kUnsupported);
  // bf16 opens only where the CPU has native bf16 kernels.
  auto bf16 = nn::OpenSession(nn::Backend::kOneDnn, path, SsdSessionOptions(nn::Precision::kBf16));
  EXPECT_EQ(bf16.ok(), nn::PrecisionAvailable(nn::Backend::kOneDnn, nn::Precision::kBf16));
  if (!bf16.ok()) {
    EXPECT_EQ(bf16.status().code(), ErrorCode::kUnsupported);
  }
}

}  // namespace
}  // namespace facetag::face

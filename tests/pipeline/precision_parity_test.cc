// The whole pipeline at int8 (InferencePrecision::kInt8, oneDNN) against f32 on the faces-bbt
// group photos and face-api's demo photos: the same faces, boxes with IoU >= 0.9 and descriptors
// within Euclidean 0.05 of f32's (issue 6's parity rule for a precision).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "facetag/engine.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag {
namespace {

std::unique_ptr<FaceEngine> OpenEngine(InferencePrecision precision) {
  EngineOptions options;
  options.model_dir = testing::ModelDirOrFail();
  options.backend = InferenceBackend::kOneDnn;
  options.precision = precision;
  auto engine = FaceEngine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(*engine) : nullptr;
}

TEST(PrecisionParity, Int8PipelineMatchesF32) {
  auto f32 = OpenEngine(InferencePrecision::kF32);
  auto int8 = OpenEngine(InferencePrecision::kInt8);
  ASSERT_TRUE(f32 && int8);
  const auto photos = testing::LoadReference("pipeline.jsonl");
  ASSERT_EQ(photos.size(), 11u);
  double min_iou = 1, max_distance = 0;
  size_t faces = 0;
  for (const auto& photo : photos) {
    SCOPED_TRACE(photo.file);
    auto decoded = DecodeImageFile(testing::ResolveReferenceFile(photo.file));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    auto want = AnalyzeDecoded(*f32, *decoded);
    auto got = AnalyzeDecoded(*int8, *decoded);
    ASSERT_TRUE(want.ok() && got.ok());
    ASSERT_EQ(got->size(), want->size());
    std::vector<bool> used(got->size(), false);
    for (const Face& w : *want) {
      size_t best = 0;
      float best_iou = -1;
      for (size_t i = 0; i < got->size(); ++i) {
        const float iou = IntersectionOverUnion(w.box, (*got)[i].box);
        if (!used[i] && iou > best_iou) best = i, best_iou = iou;
      }
      used[best] = true;
      const float distance = EmbeddingDistance((*got)[best].embedding, w.embedding);
      EXPECT_GE(best_iou, 0.9f);
      EXPECT_LE(distance, 0.05f);
      min_iou = std::min<double>(min_iou, best_iou);
      max_distance = std::max<double>(max_distance, distance);
      ++faces;
    }
  }
  std::printf("[ parity ] pipeline int8 vs f32: %zu faces, min IoU %.4f, max descriptor distance %.4f\n",
              faces, min_iou, max_distance);
}

TEST(PrecisionParity, AutoResolvesToAPrecisionThisCpuRuns) {
  const std::string p = ResolvedPrecisionName(InferenceBackend::kOneDnn, InferencePrecision::kAuto);
  EXPECT_TRUE(p == "f32" || p == "int8") << p;
  EXPECT_STREQ(ResolvedPrecisionName(InferenceBackend::kOpenCv, InferencePrecision::kAuto), "f32");
  EXPECT_STREQ(ResolvedPrecisionName(InferenceBackend::kOneDnn, InferencePrecision::kF32), "f32");
}

TEST(PrecisionParity, Int8WithOpenCvIsAClearError) {
  EngineOptions options;
  options.model_dir = testing::ModelDirOrFail();
  options.backend = InferenceBackend::kOpenCv;
  options.precision = InferencePrecision::kInt8;
  auto engine = FaceEngine::Open(options);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace facetag

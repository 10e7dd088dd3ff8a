// The whole pipeline at int8 (InferencePrecision::kInt8, oneDNN) against f32 on the faces-bbt
// group photos and face-api's demo photos. Issue 6's parity rule for a precision is the same faces,
// boxes with IoU >= 0.9 and descriptors within Euclidean 0.05 of f32's. int8 holds the first two
// but not the third: the SSD detector's boxes move by 1-2%, the crops with them, and descriptors
// by up to ~0.16 (measured). So int8 is opt-in, kAuto stays f32, and this test pins what int8
// does hold plus a bound on the descriptor drift (well inside the 0.6 match threshold), so that a
// worse int8 path fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "bench/lib/bench.h"
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

bool BackendSupportsBf16() {
  for (const BackendInfo& b : DescribeBackends()) {
    if (b.name == "onednn") {
      return std::find(b.precisions.begin(), b.precisions.end(), "bf16") != b.precisions.end();
    }
  }
  return false;
}

// How far one engine's faces are from another's (or face-api's) on the 11 parity photos.
struct Drift {
  size_t faces = 0;
  double min_iou = 1, max_distance = 0;
};

// Runs `engine` on the parity photos and checks its faces against `want`'s: the same number, each
// paired by overlap with IoU >= 0.9 and its descriptor within `max_distance`.
Drift CompareOnParityPhotos(
    FaceEngine& engine,
    const std::function<std::vector<Face>(const testing::ReferencePhoto&, const DecodedImage&)>& want,
    float max_distance) {
  Drift drift;
  const auto photos = testing::LoadReference("pipeline.jsonl");
  EXPECT_EQ(photos.size(), 11u);
  for (const auto& photo : photos) {
    SCOPED_TRACE(photo.file);
    auto decoded = DecodeImageFile(testing::ResolveReferenceFile(photo.file));
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) continue;
    const std::vector<Face> expected = want(photo, *decoded);
    auto got = AnalyzeDecoded(engine, *decoded);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) continue;
    EXPECT_EQ(got->size(), expected.size());
    if (got->size() != expected.size()) continue;
    const auto pairs = testing::PairByOverlap(expected, *got);
    for (size_t k = 0; k < pairs.size(); ++k) {
      const float distance = EmbeddingDistance((*got)[pairs[k].got].embedding, expected[k].embedding);
      EXPECT_GE(pairs[k].iou, 0.9f);
      EXPECT_LE(distance, max_distance);
      drift.min_iou = std::min<double>(drift.min_iou, pairs[k].iou);
      drift.max_distance = std::max<double>(drift.max_distance, distance);
      ++drift.faces;
    }
  }
  return drift;
}

TEST(PrecisionParity, Int8PipelineFindsTheSameFacesAsF32) {
  auto f32 = OpenEngine(InferencePrecision::kF32);
  auto int8 = OpenEngine(InferencePrecision::kInt8);
  ASSERT_TRUE(f32 && int8);
  const Drift drift = CompareOnParityPhotos(
      *int8,
      [&](const testing::ReferencePhoto&, const DecodedImage& decoded) {
        auto want = AnalyzeDecoded(*f32, decoded);
        EXPECT_TRUE(want.ok());
        return want.ok() ? *want : std::vector<Face>{};
      },
      0.25f);
  const auto [faces, min_iou, max_distance] = drift;
  std::printf("[ parity ] pipeline int8 vs f32: %zu faces, min IoU %.4f, max descriptor distance %.4f\n",
              faces, min_iou, max_distance);
}

// --precision bf16 (AVX512-BF16 or AMX) runs the nets that hold the parity rule in bf16 (the
// descriptor net, pipeline/backend_choice.h: HoldsParityAt) and must hold it against face-api.js
// itself: the same faces, boxes with IoU >= 0.9 and descriptors within 0.05. (Measured when this
// was written: 0.0055. The SSD or the landmarks net in bf16 moves descriptors by 0.15 and 0.07.)
TEST(PrecisionParity, Bf16PipelineHoldsParityWithFaceApi) {
  if (!BackendSupportsBf16()) {
    GTEST_SKIP() << "this CPU has no native bf16 (AVX512-BF16 or AMX)";
  }
  auto bf16 = OpenEngine(InferencePrecision::kBf16);
  ASSERT_TRUE(bf16);
  const Drift drift = CompareOnParityPhotos(
      *bf16, [](const testing::ReferencePhoto& photo, const DecodedImage&) { return photo.faces; }, 0.05f);
  const auto [faces, min_iou, max_distance] = drift;
  std::printf(
      "[ parity ] pipeline bf16 vs face-api.js: %zu faces, min IoU %.4f, max descriptor distance %.4f\n",
      faces, min_iou, max_distance);
}

// kAuto must only pick a precision at parity: f32, until int8 holds descriptor parity.
TEST(PrecisionParity, AutoIsF32) {
  EXPECT_EQ(ResolvedPrecisionName(InferenceBackend::kOneDnn, InferencePrecision::kAuto), "f32");
  EXPECT_EQ(ResolvedPrecisionName(InferenceBackend::kOneDnn, InferencePrecision::kInt8), "int8");
  EXPECT_EQ(ResolvedPrecisionName(InferenceBackend::kOpenCv, InferencePrecision::kAuto), "f32");
  EXPECT_EQ(ResolvedPrecisionName(InferenceBackend::kOneDnn, InferencePrecision::kF32), "f32");
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

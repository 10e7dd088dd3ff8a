// The whole pipeline against face-api.js on photos facetag was never tuned on: the same faces,
// boxes with IoU >= 0.9 and descriptors within Euclidean 0.05 of face-api's, for every face.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "facetag/engine.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag {
namespace {

class PipelineParity : public ::testing::TestWithParam<testing::ReferencePhoto> {
 protected:
  static void SetUpTestSuite() {
    auto e = FaceEngine::Open({testing::ModelDirUnchecked(), DetectorKind::kSsd});
    setup_error_ = testing::SuiteSetUpError("the face engine", e.status());
    if (e.ok()) engine_ = std::move(*e).release();
  }
  static void TearDownTestSuite() { delete engine_; }
  void SetUp() override { FACETAG_ASSERT_SUITE_SET_UP(setup_error_); }
  static FaceEngine* engine_;
  static std::string setup_error_;
};
FaceEngine* PipelineParity::engine_ = nullptr;
std::string PipelineParity::setup_error_;

TEST_P(PipelineParity, SameFacesBoxesAndDescriptorsAsFaceApi) {
  ASSERT_NE(engine_, nullptr);
  const testing::ReferencePhoto& ref = GetParam();
  auto decoded = DecodeImageFile(testing::ResolveReferenceFile(ref.file));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  auto faces = AnalyzeDecoded(*engine_, *decoded);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  ASSERT_EQ(faces->size(), ref.faces.size()) << ref.file;

  const auto pairs = testing::PairByOverlap(ref.faces, *faces);
  for (size_t i = 0; i < pairs.size(); ++i) {
    const Face& want = ref.faces[i];
    const Face& got = (*faces)[pairs[i].got];
    const float best_iou = pairs[i].iou;
    EXPECT_GE(best_iou, 0.9f) << ref.file;
    EXPECT_NEAR(got.score, want.score, 0.02) << ref.file;
    const float distance = EmbeddingDistance(got.embedding, want.embedding);
    EXPECT_LE(distance, 0.05f) << ref.file;
    double landmark_error = 0;
    for (size_t k = 0; k < 68; ++k) {
      landmark_error +=
          std::hypot(got.landmarks[k].x - want.landmarks[k].x, got.landmarks[k].y - want.landmarks[k].y);
    }
    EXPECT_LE(landmark_error / 68, 2.0) << ref.file;
    RecordProperty("iou", std::to_string(best_iou));
    RecordProperty("descriptor_distance", std::to_string(distance));
  }
}

INSTANTIATE_TEST_SUITE_P(ReferencePhotos, PipelineParity,
                         ::testing::ValuesIn(testing::LoadReference("pipeline.jsonl")),
                         [](const ::testing::TestParamInfo<testing::ReferencePhoto>& photo) {
                           std::string name = photo.param.file;
                           std::replace_if(
                               name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return name;
                         });

}  // namespace
}  // namespace facetag

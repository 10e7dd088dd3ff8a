// Parity of the face-api 68-landmark net (converted ONNX + FaceApiLandmarker) with face-api.js:
// given the peer's own detection box, our 68 points must land where face-api's did.
// tests/data/reference/landmarks.jsonl comes from scripts/make-reference.sh.
#include "face/faceapi/landmark_net.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

using testing::LoadReference;
using testing::ResolveReferenceFile;

double MeanPointError(const Landmarks68& a, const Landmarks68& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::hypot(a[i].x - b[i].x, a[i].y - b[i].y);
  return sum / a.size();
}

class LandmarkNetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto landmarker = OpenFaceApiLandmarker(testing::ModelDirUnchecked());
    setup_error_ = testing::SuiteSetUpError("the landmark net", landmarker.status());
    if (landmarker.ok()) landmarker_ = std::move(*landmarker).release();
  }
  static void TearDownTestSuite() {
    delete landmarker_;
    landmarker_ = nullptr;
  }
  void SetUp() override { FACETAG_ASSERT_SUITE_SET_UP(setup_error_); }

  static Landmarker* landmarker_;
  static std::string setup_error_;
};
Landmarker* LandmarkNetTest::landmarker_ = nullptr;
std::string LandmarkNetTest::setup_error_;

// All faces of a photo in one call (batched), against face-api's landmarks for the same boxes.
TEST_F(LandmarkNetTest, MatchesFaceApiGivenItsBoxes) {
  const auto reference = LoadReference("landmarks.jsonl");
  double max_mean = 0, max_point = 0, sum = 0;
  int faces = 0;
  for (const auto& photo : reference) {
    if (photo.faces.empty()) continue;
    const Image image = testing::LoadReferenceImage(photo.file);
    std::vector<Box> boxes;
    for (const Face& f : photo.faces) boxes.push_back(f.box);
    auto located = landmarker_->Locate(image, boxes);
    ASSERT_TRUE(located.ok()) << located.status().ToString();
    ASSERT_EQ(located->size(), boxes.size());
    for (size_t i = 0; i < boxes.size(); ++i) {
      const Landmarks68& ours = (*located)[i];
      const Landmarks68& theirs = photo.faces[i].landmarks;
      const double e = MeanPointError(ours, theirs);
      EXPECT_LT(e, 0.5) << photo.file << " face " << i;
      for (size_t k = 0; k < ours.size(); ++k) {
        max_point = std::max<double>(max_point, std::hypot(ours[k].x - theirs[k].x, ours[k].y - theirs[k].y));
      }
      max_mean = std::max(max_mean, e);
      sum += e;
      ++faces;
    }
  }
  ASSERT_GE(faces, 20);
  std::printf(
      "landmarks vs face-api (%d faces): mean point error max %.3g px, mean %.3g px; worst point %.3g px\n",
      faces, max_mean, sum / faces, max_point);
  EXPECT_LT(max_mean, 0.01);
}

TEST_F(LandmarkNetTest, BatchEqualsSingles) {
  const auto reference = LoadReference("landmarks.jsonl");
  const auto photo =
      std::find_if(reference.begin(), reference.end(), [](const auto& p) { return p.faces.size() >= 5; });
  ASSERT_NE(photo, reference.end());
  const Image image = testing::LoadReferenceImage(photo->file);
  std::vector<Box> boxes;
  for (const Face& f : photo->faces) boxes.push_back(f.box);
  auto batch = landmarker_->Locate(image, boxes);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  for (size_t i = 0; i < boxes.size(); ++i) {
    auto single = landmarker_->Locate(image, std::span<const Box>(&boxes[i], 1));
    ASSERT_TRUE(single.ok());
    EXPECT_LT(MeanPointError((*batch)[i], (*single)[0]), 1e-3) << "face " << i;
  }
}

TEST_F(LandmarkNetTest, BoxOutsideTheImageIsAnError) {
  Image image;
  image.width = 64;
  image.height = 48;
  image.rgb.assign(64 * 48 * 3, 128);
  const Box boxes[] = {{10, 10, 20, 20}, {10, 60, 20, 20}};
  auto r = landmarker_->Locate(image, boxes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST(LandmarkNetOpenTest, MissingModelIsNotFound) {
  auto l = OpenFaceApiLandmarker("/nonexistent/models");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::face

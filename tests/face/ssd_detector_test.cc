// Parity of face-api's SSD MobileNetV1 (converted ONNX + FaceApiSsdDetector) with face-api.js:
// on the same photos, the same faces, boxes and scores. tests/data/reference/detections.jsonl
// comes from scripts/make-reference.sh.
#include "face/faceapi/ssd_detector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "detector_parity.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

class SsdDetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto detector = OpenFaceApiSsdDetector(testing::ModelDirUnchecked(), nn::Backend::kOpenCv);
    setup_error_ = testing::SuiteSetUpError("the SSD detector", detector.status());
    if (detector.ok()) detector_ = std::move(*detector).release();
  }
  void SetUp() override { FACETAG_ASSERT_SUITE_SET_UP(setup_error_); }
  static void TearDownTestSuite() {
    delete detector_;
    detector_ = nullptr;
  }
  static FaceDetector* detector_;
  static std::string setup_error_;
};

FaceDetector* SsdDetectorTest::detector_ = nullptr;
std::string SsdDetectorTest::setup_error_;

TEST_F(SsdDetectorTest, MatchesFaceApiOnGroupAndDemoPhotos) {
  ASSERT_NE(detector_, nullptr);
  ExpectDetectionParity(*detector_, "detections.jsonl");
}

TEST_F(SsdDetectorTest, RejectsAnEmptyImage) {
  ASSERT_NE(detector_, nullptr);
  auto r = detector_->Detect(Image{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SsdDetectorTest, FindsNothingInABlankImage) {
  ASSERT_NE(detector_, nullptr);
  Image gray{300, 200, std::vector<uint8_t>(300 * 200 * 3, 128)};
  auto r = detector_->Detect(gray);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->empty());
}

TEST(SsdDetectorOpen, ReportsMissingModelFiles) {
  auto r = OpenFaceApiSsdDetector(std::filesystem::temp_directory_path() / "facetag-no-such-dir",
                                  nn::Backend::kOpenCv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST(SsdDetectorOpen, RejectsBadOptions) {
  SsdOptions options;
  options.min_score = 1.5f;
  auto r = OpenFaceApiSsdDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace facetag::face

// Parity of face-api's tiny face detector (converted ONNX + FaceApiTinyDetector) with
// face-api.js at its defaults (input 416, score 0.5): the same faces, boxes and scores.
// tests/data/reference/detections-tiny.jsonl comes from scripts/make-reference.sh.
#include "face/faceapi/tiny_detector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "detector_parity.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

TEST(TinyDetectorTest, MatchesFaceApiOnGroupAndDemoPhotos) {
  auto detector = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  ExpectDetectionParity(**detector, "detections-tiny.jsonl");
}

// The graph fixes no spatial size: other multiples of 32 run (checked against face-api.js at
// 160, 320 and 608 when this was written; here only sanity and the face count at 608).
TEST(TinyDetectorTest, RunsAtOtherInputSizes) {
  const Image image = testing::LoadReferenceImage("faces-bbt/bbt4.jpg");
  ASSERT_FALSE(image.empty());
  for (int size : {128, 320, 608}) {
    SCOPED_TRACE(size);
    TinyOptions options;
    options.input_size = size;
    auto detector = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv, options);
    ASSERT_TRUE(detector.ok()) << detector.status().ToString();
    auto found = (*detector)->Detect(image);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    for (const Detection& d : *found) {
      EXPECT_GT(d.score, 0.5f);
      EXPECT_GT(d.box.width, 0);
      EXPECT_LT(d.box.x, image.width);
      EXPECT_LT(d.box.y, image.height);
    }
    if (size == 608) {
      EXPECT_EQ(found->size(), 6u);  // as face-api.js at inputSize 608
    }
  }
}

TEST(TinyDetectorTest, RejectsBadInputSizes) {
  for (int size : {0, 100, -32}) {
    TinyOptions options;
    options.input_size = size;
    auto r = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv, options);
    ASSERT_FALSE(r.ok()) << size;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(TinyDetectorTest, RejectsAnEmptyImage) {
  auto detector = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  auto r = (*detector)->Detect(Image{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST(TinyDetectorTest, ReportsMissingModelFiles) {
  auto r = OpenFaceApiTinyDetector(std::filesystem::temp_directory_path() / "facetag-no-such-dir",
                                   nn::Backend::kOpenCv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::face

// Shared by ssd_detector_test.cc and tiny_detector_test.cc: runs a detector on every photo of a
// face-api.js reference file (scripts/make-detection-reference.sh) and expects the same faces.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "face/detector.h"
#include "support/reference.h"

namespace facetag::face {

// The peer decodes with its own JPEG decoder and ignores EXIF orientation; OpenCV's libjpeg gives
// the same pixels on these photos (checked byte for byte), so it stands in for facetag's decoder.
inline Image LoadReferenceRgb(const std::string& file) {
  const auto path = testing::ResolveReferenceFile(file);
  const cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  Image image;
  if (bgr.empty()) {
    ADD_FAILURE() << "cannot read " << path << " (face-api demo photos: run scripts/setup.sh or set "
                  << "FACETAG_FACEAPI_PACKAGE_DIR)";
    return image;
  }
  image.width = bgr.cols;
  image.height = bgr.rows;
  image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* src = bgr.ptr<uint8_t>(y);
    uint8_t* dst = image.row(y);
    for (int x = 0; x < image.width; ++x) {
      dst[3 * x] = src[3 * x + 2];
      dst[3 * x + 1] = src[3 * x + 1];
      dst[3 * x + 2] = src[3 * x];
    }
  }
  return image;
}

// Same number of faces per photo, best score first, each reference face matched (greedily, by
// IoU) with IoU >= 0.9 and a score within 0.02. Prints the worst IoU and score difference seen.
inline void ExpectDetectionParity(FaceDetector& detector, const std::string& reference) {
  const auto photos = testing::LoadReference(reference);
  ASSERT_FALSE(photos.empty()) << reference;
  double min_iou = 1, max_score_diff = 0;
  size_t faces = 0;
  for (const auto& photo : photos) {
    SCOPED_TRACE(photo.file);
    const Image image = LoadReferenceRgb(photo.file);
    if (image.empty()) continue;
    auto found = detector.Detect(image);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_TRUE(std::is_sorted(found->begin(), found->end(),
                               [](const Detection& a, const Detection& b) { return a.score > b.score; }));
    ASSERT_EQ(found->size(), photo.faces.size());
    std::vector<bool> used(found->size(), false);
    for (const Face& want : photo.faces) {
      size_t best = found->size();
      float best_iou = -1;
      for (size_t i = 0; i < found->size(); ++i) {
        const float iou = IntersectionOverUnion((*found)[i].box, want.box);
        if (!used[i] && iou > best_iou) best = i, best_iou = iou;
      }
      ASSERT_LT(best, found->size());
      used[best] = true;
      const Detection& got = (*found)[best];
      EXPECT_GE(best_iou, 0.9f) << "reference box " << want.box.x << "," << want.box.y << " " << want.box.width
                                << "x" << want.box.height;
      EXPECT_NEAR(got.score, want.score, 0.02f);
      min_iou = std::min<double>(min_iou, best_iou);
      max_score_diff = std::max<double>(max_score_diff, std::abs(got.score - want.score));
      ++faces;
    }
  }
  std::printf("[ parity ] %s: %zu photos, %zu faces, min IoU %.5f, max |score diff| %.5f\n", reference.c_str(),
              photos.size(), faces, min_iou, max_score_diff);
}

}  // namespace facetag::face

// Shared by ssd_detector_test.cc and tiny_detector_test.cc: runs a detector on every photo of a
// face-api.js reference file (scripts/make-reference.sh) and expects the same faces.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "face/detector.h"
#include "support/reference.h"

namespace facetag::face {

// Same number of faces per photo, best score first, each reference face matched (greedily, by
// IoU) with IoU >= 0.9 and a score within 0.02. Prints the worst IoU and score difference seen.
inline void ExpectDetectionParity(FaceDetector& detector, const std::string& reference) {
  const auto photos = testing::LoadReference(reference);
  ASSERT_FALSE(photos.empty()) << reference;
  double min_iou = 1, max_score_diff = 0;
  size_t faces = 0;
  for (const auto& photo : photos) {
    SCOPED_TRACE(photo.file);
    const Image image = testing::LoadReferenceImage(photo.file);
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
      EXPECT_GE(best_iou, 0.9f) << "reference box " << want.box.x << "," << want.box.y << " "
                                << want.box.width << "x" << want.box.height;
      EXPECT_NEAR(got.score, want.score, 0.02f);
      min_iou = std::min<double>(min_iou, best_iou);
      max_score_diff = std::max<double>(max_score_diff, std::abs(got.score - want.score));
      ++faces;
    }
  }
  std::printf("[ parity ] %s: %zu photos, %zu faces, min IoU %.5f, max |score diff| %.5f\n",
              reference.c_str(), photos.size(), faces, min_iou, max_score_diff);
}

}  // namespace facetag::face

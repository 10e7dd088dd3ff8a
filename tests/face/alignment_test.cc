// face-api's box geometry: the crop extractFaceTensors takes and the dlib-style descriptor region.
#include "face/faceapi/alignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace facetag::face {
namespace {

void ExpectRegion(const std::optional<Region>& r, int x, int y, int w, int h) {
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->x, x);
  EXPECT_EQ(r->y, y);
  EXPECT_EQ(r->width, w);
  EXPECT_EQ(r->height, h);
}

TEST(FaceApiCropTest, InsideFloorsEachNumberSeparately) {
  // Box.floor() floors x and width on their own: the right edge moves from 5.2 to 4.
  ExpectRegion(FaceApiCrop({1.6f, 0.5f, 3.6f, 2.9f}, 100, 100), 1, 0, 3, 2);
}

TEST(FaceApiCropTest, ClipsAtTheTopLeftBeforeFlooring) {
  // x: max(-3.7, 0) = 0, width = right - 0 = 6.5 -> 6.
  ExpectRegion(FaceApiCrop({-3.7f, 2.5f, 10.2f, 5.9f}, 100, 100), 0, 2, 6, 5);
}

TEST(FaceApiCropTest, ClipsAtTheBottomRight) {
  ExpectRegion(FaceApiCrop({90.5f, 95.25f, 20, 20}, 100, 100), 90, 95, 9, 4);
}

TEST(FaceApiCropTest, NothingLeftIsEmpty) {
  EXPECT_FALSE(FaceApiCrop({120, 10, 20, 20}, 100, 100).has_value());   // right of the image
  EXPECT_FALSE(FaceApiCrop({10, -40, 20, 20}, 100, 100).has_value());   // above it
  EXPECT_FALSE(FaceApiCrop({10, 10, 0.9f, 20}, 100, 100).has_value());  // floors to 0 wide
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(FaceApiCrop({nan, 10, 20, 20}, 100, 100).has_value());
}

// 68 points with every eye point at the eye centre and every mouth point at the mouth centre.
Landmarks68 Face(Point left_eye, Point right_eye, Point mouth) {
  Landmarks68 lm{};
  for (int i = 36; i < 42; ++i) lm[i] = left_eye;
  for (int i = 42; i < 48; ++i) lm[i] = right_eye;
  for (int i = 48; i < 68; ++i) lm[i] = mouth;
  return lm;
}

TEST(AlignmentBoxTest, DlibStyleBox) {
  // Eye-to-mouth distance sqrt(20^2 + 45^2) = 49.244 -> size floor(109.43) = 109; centre
  // (150, 155) -> x = floor(150 - 54.5) = 95, y = floor(155 - 46.87) = 108.
  const Box b = AlignmentBox(Face({130, 140}, {170, 140}, {150, 185}));
  EXPECT_EQ(b.x, 95);
  EXPECT_EQ(b.y, 108);
  EXPECT_EQ(b.width, 109);
  EXPECT_EQ(b.height, 109);
}

TEST(AlignmentBoxTest, UsesTheMeanOfEachGroup) {
  Landmarks68 lm = Face({130, 140}, {170, 140}, {150, 185});
  lm[36] = {120, 140};  // the left eye's centre moves by -10 / 6
  lm[37] = {140, 140};  // ... and back by +10 / 6
  lm[0] = {0, 0};       // jaw points play no part
  const Box b = AlignmentBox(lm);
  EXPECT_EQ(b.x, 95);
  EXPECT_EQ(b.width, 109);
}

TEST(AlignmentBoxTest, ClampsTheOriginAtZero) {
  const Box b = AlignmentBox(Face({30, 40}, {70, 40}, {50, 85}));  // x = 50 - 54.5 < 0
  EXPECT_EQ(b.x, 0);
  EXPECT_EQ(b.y, 8);  // floor(55 - 46.87)
  EXPECT_EQ(b.width, 109);
}

TEST(AlignmentBoxTest, FaceApiCapsTheSizeByTheLandmarkCrop) {
  // width = min(size, crop width + x): binds only for landmarks far larger than their crop.
  const Landmarks68 lm = Face({30, 40}, {70, 40}, {50, 85});
  const Box capped = AlignmentBox(lm, Region{0, 0, 100, 200});
  EXPECT_EQ(capped.width, 100);   // min(109, 100 + 0)
  EXPECT_EQ(capped.height, 109);  // min(109, 200 + 8)
  const Box uncapped = AlignmentBox(lm, Region{0, 0, 150, 150});
  EXPECT_EQ(uncapped.width, 109);
}

}  // namespace
}  // namespace facetag::face

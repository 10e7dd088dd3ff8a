#include "face/faceapi/alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace facetag::face {
namespace {

// face-api does its box arithmetic on JavaScript numbers: double throughout.
struct P {
  double x = 0, y = 0;
};

// utils.getCenterPoint: summed in order from (0, 0), then divided.
P Centre(const Landmarks68& lm, int begin, int end) {
  P sum;
  for (int i = begin; i < end; ++i) {
    sum.x += lm[i].x;
    sum.y += lm[i].y;
  }
  return {sum.x / (end - begin), sum.y / (end - begin)};
}

Box Align(const Landmarks68& lm, double cap_width, double cap_height) {
  const P left_eye = Centre(lm, 36, 42), right_eye = Centre(lm, 42, 48), mouth = Centre(lm, 48, 68);
  auto dist_to_mouth = [&](const P& p) {
    return std::sqrt(std::pow(mouth.x - p.x, 2) + std::pow(mouth.y - p.y, 2));
  };
  const double eye_to_mouth = (dist_to_mouth(left_eye) + dist_to_mouth(right_eye)) / 2;
  const double size = std::floor(eye_to_mouth / 0.45);
  const P ref{((0 + left_eye.x) + right_eye.x + mouth.x) / 3, ((0 + left_eye.y) + right_eye.y + mouth.y) / 3};
  const double x = std::floor(std::max(0.0, ref.x - 0.5 * size));
  const double y = std::floor(std::max(0.0, ref.y - 0.43 * size));
  return {static_cast<float>(x), static_cast<float>(y), static_cast<float>(std::min(size, cap_width + x)),
          static_cast<float>(std::min(size, cap_height + y))};
}

}  // namespace

std::optional<Region> FaceApiCrop(const Box& box, int image_width, int image_height) {
  const double x = box.x, y = box.y;
  const double right = x + static_cast<double>(box.width), bottom = y + static_cast<double>(box.height);
  const double clipped_x = std::max(x, 0.0), clipped_y = std::max(y, 0.0);
  const double width = std::min(right - clipped_x, image_width - clipped_x);
  const double height = std::min(bottom - clipped_y, image_height - clipped_y);
  // NaN boxes fail these comparisons too.
  if (!(std::floor(width) > 0 && std::floor(height) > 0)) return std::nullopt;
  return Region{static_cast<int>(std::floor(clipped_x)), static_cast<int>(std::floor(clipped_y)),
                static_cast<int>(std::floor(width)), static_cast<int>(std::floor(height))};
}

Box AlignmentBox(const Landmarks68& landmarks) {
  constexpr double kNoCap = std::numeric_limits<double>::infinity();
  return Align(landmarks, kNoCap, kNoCap);
}

Box AlignmentBox(const Landmarks68& landmarks, const Region& landmark_crop) {
  return Align(landmarks, landmark_crop.width, landmark_crop.height);
}

}  // namespace facetag::face

// A face that fills the whole frame (a tight headshot, a 150 px face crop) is missed by both
// face-api detectors: they learnt faces with some of the scene around them. A small image in
// which a detector finds nothing is therefore searched again inside a border that gives the
// face that context, and the boxes are moved back into the image's own pixels.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "face/detector.h"

namespace facetag::face {

// Images whose long side is at most this, without a face, are searched again. Larger photos are
// never framed that tightly, and they keep face-api's exact results.
constexpr int kMaxBorderedSide = 400;

// The border on each side, as a fraction of the image's long side. Of the 40 faces-bbt crops
// (150 px, the face filling the frame) face-api's SSD finds 6; inside a border of half the side
// 34, of the whole side 37, of 1.5 sides 32. Photos take the whole side; recognition requests
// (the fitted detector, tiny first) keep the half they were tuned with.
constexpr float kPhotoBorder = 1.0f;
constexpr float kRequestBorder = 0.5f;

using DetectFn = std::function<Result<std::vector<Detection>>(const Image&)>;

// `detect(image)`; when that finds nothing in a small image, `detect` of the image inside a
// border of `border` times its long side (edge pixels repeated), boxes in `image`'s pixels.
Result<std::vector<Detection>> DetectWithBorderRetry(const Image& image, const DetectFn& detect,
                                                     float border);

// `detector` with the retry above.
std::unique_ptr<FaceDetector> WithBorderRetry(std::unique_ptr<FaceDetector> detector, float border);

}  // namespace facetag::face

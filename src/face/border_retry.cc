#include "face/border_retry.h"

#include <algorithm>
#include <opencv2/core.hpp>

namespace facetag::face {
namespace {

class BorderRetryDetector final : public FaceDetector {
 public:
  BorderRetryDetector(std::unique_ptr<FaceDetector> inner, float border)
      : inner_(std::move(inner)), border_(border) {}

  Result<std::vector<Detection>> Detect(const Image& image) override {
    return DetectWithBorderRetry(
        image, [this](const Image& im) { return inner_->Detect(im); }, border_);
  }

 private:
  std::unique_ptr<FaceDetector> inner_;
  float border_;
};

}  // namespace

Result<std::vector<Detection>> DetectWithBorderRetry(const Image& image, const DetectFn& detect,
                                                     float border) {
  auto detections = detect(image);
  if (!detections.ok() || !detections->empty() || std::max(image.width, image.height) > kMaxBorderedSide)
    return detections;
  const int pad = static_cast<int>(static_cast<float>(std::max(image.width, image.height)) * border);
  Image bordered;
  bordered.width = image.width + 2 * pad;
  bordered.height = image.height + 2 * pad;
  bordered.rgb.assign(static_cast<size_t>(bordered.width) * bordered.height * 3, 0);
  cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
  cv::Mat dst(bordered.height, bordered.width, CV_8UC3, bordered.rgb.data());
  cv::copyMakeBorder(src, dst, pad, pad, pad, pad, cv::BORDER_REPLICATE);
  detections = detect(bordered);
  if (!detections.ok()) return detections;
  for (auto& d : *detections) {
    d.box.x -= static_cast<float>(pad);
    d.box.y -= static_cast<float>(pad);
  }
  return detections;
}

std::unique_ptr<FaceDetector> WithBorderRetry(std::unique_ptr<FaceDetector> detector, float border) {
  return std::make_unique<BorderRetryDetector>(std::move(detector), border);
}

}  // namespace facetag::face

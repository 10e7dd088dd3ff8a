#include "face/fitted_detector.h"

#include <algorithm>
#include <map>
#include <opencv2/core.hpp>

#include "face/faceapi/ssd_detector.h"
#include "face/faceapi/tiny_detector.h"

namespace facetag::face {
namespace {

// Images up to this side without a face are tried again with a border of half their side.
constexpr int kMaxBorderedSide = 400;

class FittedDetector final : public FaceDetector {
 public:
  FittedDetector(std::filesystem::path model_dir, nn::Backend backend)
      : model_dir_(std::move(model_dir)), backend_(backend) {}

  // Opens what the first request needs now, so that missing models fail at start-up.
  Status Prepare(DetectorKind kind, nn::Precision ssd_precision) {
    if (kind == DetectorKind::kSsd) {
      SsdOptions options;
      options.precision = ssd_precision;
      auto ssd = OpenFaceApiSsdDetector(model_dir_, backend_, options);
      if (!ssd.ok()) return ssd.status();
      ssd_ = std::move(*ssd);
      return Status::Ok();
    }
    return TinyFor(416).status();
  }

  Result<std::vector<Detection>> Detect(const Image& image) override {
    auto detections = DetectOnce(image);
    if (!detections.ok() || !detections->empty() || std::max(image.width, image.height) > kMaxBorderedSide)
      return detections;
    const int pad = std::max(image.width, image.height) / 2;
    Image bordered;
    bordered.width = image.width + 2 * pad;
    bordered.height = image.height + 2 * pad;
    bordered.rgb.assign(static_cast<size_t>(bordered.width) * bordered.height * 3, 0);
    cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
    cv::Mat dst(bordered.height, bordered.width, CV_8UC3, bordered.rgb.data());
    cv::copyMakeBorder(src, dst, pad, pad, pad, pad, cv::BORDER_REPLICATE);
    detections = DetectOnce(bordered);
    if (!detections.ok()) return detections;
    for (auto& d : *detections) {
      d.box.x -= static_cast<float>(pad);
      d.box.y -= static_cast<float>(pad);
    }
    return detections;
  }

 private:
  Result<std::vector<Detection>> DetectOnce(const Image& image) {
    if (ssd_) return ssd_->Detect(image);
    const int long_side = std::max(image.width, image.height);
    auto tiny = TinyFor(std::clamp((long_side + 31) / 32 * 32, 128, 416));
    if (!tiny.ok()) return tiny.status();
    return (*tiny)->Detect(image);
  }

  Result<FaceDetector*> TinyFor(int input_size) {
    auto& slot = tiny_[input_size];
    if (!slot) {
      TinyOptions options;
      options.input_size = input_size;
      auto detector = OpenFaceApiTinyDetector(model_dir_, backend_, options);
      if (!detector.ok()) return detector.status();
      slot = std::move(*detector);
    }
    return slot.get();
  }

  std::filesystem::path model_dir_;
  nn::Backend backend_;
  std::unique_ptr<FaceDetector> ssd_;
  std::map<int, std::unique_ptr<FaceDetector>> tiny_;  // by input size
};

}  // namespace

Result<std::unique_ptr<FaceDetector>> OpenFittedDetector(const std::filesystem::path& model_dir,
                                                         DetectorKind kind, nn::Backend backend,
                                                         nn::Precision ssd_precision) {
  auto detector = std::make_unique<FittedDetector>(model_dir, backend);
  FACETAG_RETURN_IF_ERROR(detector->Prepare(kind, ssd_precision));
  return std::unique_ptr<FaceDetector>(std::move(detector));
}

}  // namespace facetag::face

#include "face/fitted_detector.h"

#include <algorithm>
#include <map>

#include "face/border_retry.h"
#include "face/faceapi/ssd_detector.h"
#include "face/faceapi/tiny_detector.h"

namespace facetag::face {
namespace {

class FittedDetector final : public FaceDetector {
 public:
  FittedDetector(std::filesystem::path model_dir, nn::Runner tiny, nn::Runner ssd, int threads)
      : model_dir_(std::move(model_dir)), tiny_runner_(tiny), ssd_runner_(ssd), threads_(threads) {}

  // Opens what the first request needs now, so that missing models fail at start-up.
  Status Prepare(DetectorKind kind) {
    kind_ = kind;
    if (kind == DetectorKind::kSsd) return Ssd().status();
    return TinyFor(416).status();
  }

  Result<std::vector<Detection>> Detect(const Image& image) override {
    if (kind_ == DetectorKind::kSsd) return DetectWithSsd(image);
    auto detections = DetectWithBorderRetry(
        image, [this](const Image& im) { return DetectTiny(im); }, kRequestBorder);
    if (!detections.ok() || !detections->empty()) return detections;
    return DetectWithSsd(image);
  }

 private:
  Result<std::vector<Detection>> DetectWithSsd(const Image& image) {
    return DetectWithBorderRetry(
        image,
        [this](const Image& im) -> Result<std::vector<Detection>> {
          auto ssd = Ssd();
          if (!ssd.ok()) return ssd.status();
          return (*ssd)->Detect(im);
        },
        kRequestBorder);
  }

  Result<std::vector<Detection>> DetectTiny(const Image& image) {
    const int long_side = std::max(image.width, image.height);
    auto tiny = TinyFor(std::clamp((long_side + 31) / 32 * 32, 128, 416));
    if (!tiny.ok()) return tiny.status();
    return (*tiny)->Detect(image);
  }

  // Opened on first use: a service that only meets small crops never loads it.
  Result<FaceDetector*> Ssd() {
    if (!ssd_) {
      SsdOptions options;
      options.precision = ssd_runner_.precision;
      options.threads = threads_;
      auto ssd = OpenFaceApiSsdDetector(model_dir_, ssd_runner_.backend, options);
      if (!ssd.ok()) return ssd.status();
      ssd_ = std::move(*ssd);
    }
    return ssd_.get();
  }

  Result<FaceDetector*> TinyFor(int input_size) {
    auto& slot = tiny_[input_size];
    if (!slot) {
      TinyOptions options;
      options.input_size = input_size;
      options.precision = tiny_runner_.precision;
      options.threads = threads_;
      auto detector = OpenFaceApiTinyDetector(model_dir_, tiny_runner_.backend, options);
      if (!detector.ok()) return detector.status();
      slot = std::move(*detector);
    }
    return slot.get();
  }

  std::filesystem::path model_dir_;
  nn::Runner tiny_runner_, ssd_runner_;
  int threads_ = 0;
  DetectorKind kind_ = DetectorKind::kTiny;
  std::unique_ptr<FaceDetector> ssd_;
  std::map<int, std::unique_ptr<FaceDetector>> tiny_;  // by input size
};

}  // namespace

Result<std::unique_ptr<FaceDetector>> OpenFittedDetector(const std::filesystem::path& model_dir,
                                                         DetectorKind kind, nn::Runner tiny, nn::Runner ssd,
                                                         int threads) {
  auto detector = std::make_unique<FittedDetector>(model_dir, tiny, ssd, threads);
  FACETAG_RETURN_IF_ERROR(detector->Prepare(kind));
  return std::unique_ptr<FaceDetector>(std::move(detector));
}

}  // namespace facetag::face

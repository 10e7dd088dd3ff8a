#include "face/faceapi/recognition_net.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "face/faceapi/alignment.h"
#include "face/preprocess.h"

namespace facetag::face {
namespace {

constexpr int kInputSize = 150;
constexpr int kDimension = 128;
// Bounds the input tensor (16 x 3 x 150 x 150 floats = 4.3 MB) while keeping batching's gain.
constexpr size_t kMaxBatch = 16;
// faceFeatureExtractor / FaceRecognitionNet: (RGB - mean) / 255.
constexpr Normalization kNorm{{122.782f, 117.001f, 104.298f}, 1.0f / 255.0f};

class FaceApiEmbedder final : public FaceEmbedder {
 public:
  explicit FaceApiEmbedder(std::unique_ptr<nn::InferenceSession> session) : session_(std::move(session)) {}

  int dimension() const override { return kDimension; }
  float match_threshold() const override { return 0.6f; }

  Result<std::vector<Embedding>> Embed(const Image& image, std::span<const Box> regions) override {
    if (image.empty() || image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
      return InvalidArgument("Embed: image is empty or its pixel buffer does not match its size");
    }
    std::vector<Region> crops;
    crops.reserve(regions.size());
    for (size_t i = 0; i < regions.size(); ++i) {
      std::optional<Region> crop = FaceApiCrop(regions[i], image.width, image.height);
      if (!crop) return InvalidArgument("Embed: region " + std::to_string(i) + " does not overlap the image");
      crops.push_back(*crop);
    }

    std::vector<Embedding> out;
    out.reserve(crops.size());
    const size_t plane = static_cast<size_t>(3) * kInputSize * kInputSize;
    for (size_t begin = 0; begin < crops.size(); begin += kMaxBatch) {
      const size_t n = std::min(kMaxBatch, crops.size() - begin);
      nn::Tensor input({static_cast<int>(n), 3, kInputSize, kInputSize});
      for (size_t i = 0; i < n; ++i) {
        PadResizeNormalize(image, crops[begin + i], PadMode::kCentre, kInputSize, kNorm, input.data.data() + i * plane);
      }
      auto result = session_->Run(input);
      if (!result.ok()) return result.status();
      const std::vector<nn::Tensor>& outputs = *result;
      if (outputs.size() != 1 || outputs[0].shape != std::vector<int>{static_cast<int>(n), kDimension}) {
        return Internal("face_recognition.onnx: unexpected output shape");
      }
      for (size_t i = 0; i < n; ++i) {
        const float* d = outputs[0].data.data() + i * kDimension;
        out.emplace_back(d, d + kDimension);
      }
    }
    return out;
  }

 private:
  std::unique_ptr<nn::InferenceSession> session_;
};

}  // namespace

Result<std::unique_ptr<FaceEmbedder>> OpenFaceApiEmbedder(const std::filesystem::path& model_dir,
                                                          nn::Backend backend) {
  auto session = nn::OpenSession(backend, model_dir / "face_recognition.onnx", {{"descriptor"}});
  if (!session.ok()) return session.status();
  return std::unique_ptr<FaceEmbedder>(new FaceApiEmbedder(std::move(*session)));
}

}  // namespace facetag::face

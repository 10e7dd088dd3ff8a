#include "face/faceapi/landmark_net.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "face/faceapi/alignment.h"
#include "face/preprocess.h"

namespace facetag::face {
namespace {

constexpr int kInputSize = 112;
constexpr int kOutputs = 136;
constexpr size_t kMaxBatch = 16;
constexpr Normalization kNorm{{122.782f, 117.001f, 104.298f}, 1.0f / 255.0f};

// FaceLandmark68NetBase.postProcess, then FaceLandmarks68 + shiftBy. The tensor arithmetic is
// float32 in tfjs (so it is here); the scaled sizes, the padding and everything after the tensor
// is read back are JavaScript doubles. face-api subtracts half the scaled size difference, not
// the whole pixels padToSquare inserted (half a pixel apart when the difference is odd), and
// shifts by the unrounded box origin rather than the floored crop origin: both kept, for parity.
Landmarks68 MapBack(const float* raw, const Region& crop, const Box& box) {
  const double scale = static_cast<double>(kInputSize) / std::max(crop.width, crop.height);
  const double w = crop.width * scale, h = crop.height * scale;
  const float pad_x = static_cast<float>(w < h ? std::abs(w - h) / 2 : 0.0);
  const float pad_y = static_cast<float>(h < w ? std::abs(w - h) / 2 : 0.0);
  const float wf = static_cast<float>(w), hf = static_cast<float>(h);
  Landmarks68 lm;
  for (int i = 0; i < 68; ++i) {
    const float rx = (raw[2 * i] * static_cast<float>(kInputSize) - pad_x) / wf;
    const float ry = (raw[2 * i + 1] * static_cast<float>(kInputSize) - pad_y) / hf;
    lm[i].x = static_cast<float>(static_cast<double>(rx) * crop.width + static_cast<double>(box.x));
    lm[i].y = static_cast<float>(static_cast<double>(ry) * crop.height + static_cast<double>(box.y));
  }
  return lm;
}

class FaceApiLandmarker final : public Landmarker {
 public:
  explicit FaceApiLandmarker(std::unique_ptr<nn::InferenceSession> session) : session_(std::move(session)) {}

  Result<std::vector<Landmarks68>> Locate(const Image& image, std::span<const Box> faces) override {
    if (image.empty() || image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
      return InvalidArgument("Locate: image is empty or its pixel buffer does not match its size");
    }
    std::vector<Region> crops;
    crops.reserve(faces.size());
    for (size_t i = 0; i < faces.size(); ++i) {
      std::optional<Region> crop = FaceApiCrop(faces[i], image.width, image.height);
      if (!crop) return InvalidArgument("Locate: face box " + std::to_string(i) + " does not overlap the image");
      crops.push_back(*crop);
    }

    std::vector<Landmarks68> out;
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
      if (outputs.size() != 1 || outputs[0].shape != std::vector<int>{static_cast<int>(n), kOutputs}) {
        return Internal("face_landmark_68.onnx: unexpected output shape");
      }
      for (size_t i = 0; i < n; ++i) {
        out.push_back(MapBack(outputs[0].data.data() + i * kOutputs, crops[begin + i], faces[begin + i]));
      }
    }
    return out;
  }

 private:
  std::unique_ptr<nn::InferenceSession> session_;
};

}  // namespace

Result<std::unique_ptr<Landmarker>> OpenFaceApiLandmarker(const std::filesystem::path& model_dir,
                                                          nn::Backend backend) {
  auto session = nn::OpenSession(backend, model_dir / "face_landmark_68.onnx", {{"landmarks"}});
  if (!session.ok()) return session.status();
  return std::unique_ptr<Landmarker>(new FaceApiLandmarker(std::move(*session)));
}

}  // namespace facetag::face

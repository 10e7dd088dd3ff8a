#include "face/faceapi/landmark_net.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "face/faceapi/face_batch.h"

namespace facetag::face {
namespace {

constexpr int kInputSize = 112;
// FaceLandmark68Net: (RGB - mean) / 255 in, 68 (x, y) pairs out.
constexpr FaceNetSpec kSpec{
    "face_landmark_68.onnx", kInputSize, {{122.782f, 117.001f, 104.298f}, 1.0f / 255.0f}, 136};

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
    std::vector<Landmarks68> out(faces.size());
    const Status s = RunFaceBatches(
        *session_, kSpec, image, faces,
        [&](size_t i, const Region& crop, const float* row) { out[i] = MapBack(row, crop, faces[i]); });
    if (!s.ok()) return s;
    return out;
  }

 private:
  std::unique_ptr<nn::InferenceSession> session_;
};

}  // namespace

Result<std::unique_ptr<Landmarker>> OpenFaceApiLandmarker(const std::filesystem::path& model_dir,
                                                          nn::Backend backend, int shards,
                                                          nn::Precision precision, int threads) {
  nn::SessionOptions session_options = {{"landmarks"}, shards, precision};
  session_options.threads = threads;
  auto session = nn::OpenSession(backend, model_dir / "face_landmark_68.onnx", session_options);
  if (!session.ok()) return session.status();
  return std::unique_ptr<Landmarker>(new FaceApiLandmarker(std::move(*session)));
}

}  // namespace facetag::face

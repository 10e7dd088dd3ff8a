#include "face/faceapi/recognition_net.h"

#include <vector>

#include "face/faceapi/face_batch.h"

namespace facetag::face {
namespace {

constexpr int kDimension = 128;
// FaceRecognitionNet: (RGB - mean) / 255 at 150 x 150 in, the descriptor out.
constexpr FaceNetSpec kSpec{
    "face_recognition.onnx", 150, {{122.782f, 117.001f, 104.298f}, 1.0f / 255.0f}, kDimension};

class FaceApiEmbedder final : public FaceEmbedder {
 public:
  explicit FaceApiEmbedder(std::unique_ptr<nn::InferenceSession> session) : session_(std::move(session)) {}

  int dimension() const override { return kDimension; }

  Result<std::vector<Embedding>> Embed(const Image& image, std::span<const Box> regions) override {
    std::vector<Embedding> out(regions.size());
    const Status s = RunFaceBatches(
        *session_, kSpec, image, regions,
        [&](size_t i, const Region&, const float* row) { out[i].assign(row, row + kDimension); });
    if (!s.ok()) return s;
    return out;
  }

 private:
  std::unique_ptr<nn::InferenceSession> session_;
};

}  // namespace

Result<std::unique_ptr<FaceEmbedder>> OpenFaceApiEmbedder(const std::filesystem::path& model_dir,
                                                          nn::Backend backend, int shards,
                                                          nn::Precision precision, int threads) {
  nn::SessionOptions session_options = {{"descriptor"}, shards, precision};
  session_options.threads = threads;
  auto session = nn::OpenSession(backend, model_dir / "face_recognition.onnx", session_options);
  if (!session.ok()) return session.status();
  return std::unique_ptr<FaceEmbedder>(new FaceApiEmbedder(std::move(*session)));
}

}  // namespace facetag::face

#include "face/faceapi/ssd_detector.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "face/preprocess.h"

namespace facetag::face {
namespace {

constexpr int kInputSize = 512;
constexpr int kNumPriors = 5118;

// (ymin, xmin, ymax, xmax) in 0..1 of the padded square.
struct Corners {
  float ymin, xmin, ymax, xmax;
};

Result<std::vector<Corners>> ReadAnchors(const std::filesystem::path& path) {
  static_assert(std::endian::native == std::endian::little, "the anchors file is little-endian float32");
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFound("anchors file " + path.string() + " is missing (run scripts/setup.sh)");
  std::vector<Corners> anchors(kNumPriors);
  f.read(reinterpret_cast<char*>(anchors.data()),
         static_cast<std::streamsize>(anchors.size() * sizeof(Corners)));
  if (!f || f.peek() != std::char_traits<char>::eof()) {
    return Corrupt(path.string() + ": expected " + std::to_string(kNumPriors) + " x 4 float32");
  }
  return anchors;
}

// face-api's decodeBoxesLayer, in float32 and in its order of operations.
Corners Decode(const Corners& a, const float* e) {
  const float h = a.ymax - a.ymin, w = a.xmax - a.xmin;
  const float cy = a.ymin + h / 2, cx = a.xmin + w / 2;
  const float half_h = std::exp(e[2] / 5) * h / 2, half_w = std::exp(e[3] / 5) * w / 2;
  const float y = e[0] / 10 * h + cy, x = e[1] / 10 * w + cx;
  return {y - half_h, x - half_w, y + half_h, x + half_w};
}

// face-api's SSD IOU (ssdMobilenetv1/nonMaxSuppression.ts): corners may come in either order.
double Iou(const Corners& i, const Corners& j) {
  const double ymin_i = std::min(i.ymin, i.ymax), xmin_i = std::min(i.xmin, i.xmax);
  const double ymax_i = std::max(i.ymin, i.ymax), xmax_i = std::max(i.xmin, i.xmax);
  const double ymin_j = std::min(j.ymin, j.ymax), xmin_j = std::min(j.xmin, j.xmax);
  const double ymax_j = std::max(j.ymin, j.ymax), xmax_j = std::max(j.xmin, j.xmax);
  const double area_i = (ymax_i - ymin_i) * (xmax_i - xmin_i);
  const double area_j = (ymax_j - ymin_j) * (xmax_j - xmin_j);
  if (area_i <= 0 || area_j <= 0) return 0.0;
  const double inter = std::max(std::min(ymax_i, ymax_j) - std::max(ymin_i, ymin_j), 0.0) *
                       std::max(std::min(xmax_i, xmax_j) - std::max(xmin_i, xmin_j), 0.0);
  return inter / (area_i + area_j - inter);
}

class SsdDetector final : public FaceDetector {
 public:
  SsdDetector(std::unique_ptr<nn::InferenceSession> session, std::vector<Corners> anchors,
              const SsdOptions& options)
      : session_(std::move(session)), anchors_(std::move(anchors)), options_(options) {}

  Result<std::vector<Detection>> Detect(const Image& image) override {
    if (image.empty()) return InvalidArgument("SSD detector: empty image");
    nn::Tensor input({1, 3, kInputSize, kInputSize});
    // face-api: x / 127.5 - 1; as (x - 127.5) * (1 / 127.5) it differs by at most an ulp.
    const Normalization norm{{127.5f, 127.5f, 127.5f}, 1.0f / 127.5f};
    PadResizeNormalize(image, {0, 0, image.width, image.height}, PadMode::kEnd, kInputSize, norm,
                       input.data.data());
    auto outputs = session_->Run(input);
    if (!outputs.ok()) return outputs.status();
    if (outputs->size() != 2 || (*outputs)[0].size() != kNumPriors * 4u ||
        (*outputs)[1].size() != kNumPriors) {
      return Internal("SSD detector: unexpected output shapes from ssd_mobilenetv1.onnx");
    }
    return Select(image, (*outputs)[0].data.data(), (*outputs)[1].data.data());
  }

 private:
  struct Candidate {
    float score;
    int prior;
    Corners box;
  };

  // Scores, greedy suppression and the mapping back to pixels, as SsdMobilenetv1.locateFaces.
  std::vector<Detection> Select(const Image& image, const float* encodings, const float* logits) const {
    std::vector<Candidate> candidates;
    for (int i = 0; i < kNumPriors; ++i) {
      const float score = 1.0f / (1.0f + std::exp(-logits[i]));
      if (score > options_.min_score) candidates.push_back({score, i, {}});
    }
    // Stable, like Array.prototype.sort: equal scores keep prior order.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });

    const size_t max_out = static_cast<size_t>(std::clamp(options_.max_faces, 0, kNumPriors));
    std::vector<Candidate> kept;
    for (Candidate& c : candidates) {
      if (kept.size() >= max_out) break;
      c.box = Decode(anchors_[c.prior], encodings + 4 * c.prior);
      const bool suppressed = std::any_of(
          kept.begin(), kept.end(), [&](const Candidate& k) { return Iou(c.box, k.box) > options_.iou; });
      if (!suppressed) kept.push_back(c);
    }

    // The net saw the photo padded to a square: undo that (face-api's padX/padY), in doubles.
    const double scale = static_cast<double>(kInputSize) / std::max(image.width, image.height);
    const double pad_x = kInputSize / static_cast<double>(std::lround(image.width * scale));
    const double pad_y = kInputSize / static_cast<double>(std::lround(image.height * scale));
    std::vector<Detection> out;
    out.reserve(kept.size());
    for (const Candidate& c : kept) {
      const double top = std::max(0.0, static_cast<double>(c.box.ymin)) * pad_y;
      const double bottom = std::min(1.0, static_cast<double>(c.box.ymax)) * pad_y;
      const double left = std::max(0.0, static_cast<double>(c.box.xmin)) * pad_x;
      const double right = std::min(1.0, static_cast<double>(c.box.xmax)) * pad_x;
      Detection d;
      d.box = {static_cast<float>(left * image.width), static_cast<float>(top * image.height),
               static_cast<float>((right - left) * image.width),
               static_cast<float>((bottom - top) * image.height)};
      d.score = c.score;
      out.push_back(d);
    }
    return out;
  }

  std::unique_ptr<nn::InferenceSession> session_;
  std::vector<Corners> anchors_;
  SsdOptions options_;
};

}  // namespace

nn::SessionOptions SsdSessionOptions(nn::Precision precision) {
  nn::SessionOptions session_options;
  session_options.output_names = {"boxes", "scores"};
  session_options.precision = precision;
  session_options.input_max_abs = 1.0f;  // x / 127.5 - 1
  // int8 on MobileNetV1's 512- and 1024-channel half (and the heads reading it): ~1.35x on AVX2,
  // same faces, scores within 0.02 and boxes within ~2% of f32. Quantising the earlier layers too is ~1.7x
  // but moves scores by up to 0.1 and loses a face near the threshold (measured on the parity photos,
  // tests/nn).
  session_options.int8_min_input_channels = 512;
  return session_options;
}

Result<std::unique_ptr<FaceDetector>> OpenFaceApiSsdDetector(const std::filesystem::path& model_dir,
                                                             nn::Backend backend, const SsdOptions& options) {
  if (!(options.min_score >= 0 && options.min_score < 1) || options.max_faces < 0 ||
      !(options.iou >= 0 && options.iou <= 1)) {
    return InvalidArgument("SSD detector: min_score must be in [0, 1), iou in [0, 1], max_faces >= 0");
  }
  auto anchors = ReadAnchors(model_dir / "ssd_mobilenetv1_anchors.bin");
  if (!anchors.ok()) return anchors.status();
  nn::SessionOptions session_options = SsdSessionOptions(options.precision);
  session_options.threads = options.threads;
  auto session = nn::OpenSession(backend, model_dir / "ssd_mobilenetv1.onnx", session_options);
  if (!session.ok()) return session.status();
  return std::unique_ptr<FaceDetector>(new SsdDetector(std::move(*session), std::move(*anchors), options));
}

}  // namespace facetag::face

#include "face/faceapi/tiny_detector.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "face/preprocess.h"

namespace facetag::face {
namespace {

constexpr int kAnchors = 5;
constexpr int kPerAnchor = 5;  // x, y, w, h, score
// face-api's tinyFaceDetector/const.ts: anchor sizes in grid cells, and the input mean.
constexpr double kAnchorW[kAnchors] = {1.603231, 6.041143, 2.882459, 4.266906, 9.041765};
constexpr double kAnchorH[kAnchors] = {2.094468, 7.080126, 3.518061, 5.178857, 10.66308};
constexpr float kMeanRgb[3] = {117.001f, 114.697f, 97.404f};

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// A box relative to the photo (0..1 inside it), as face-api's BoundingBox keeps it.
struct RelBox {
  double x, y, width, height;
};

// face-api's ops/iou.ts.
double Iou(const RelBox& a, const RelBox& b) {
  const double w = std::max(0.0, std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x));
  const double h = std::max(0.0, std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y));
  const double inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

class TinyDetector final : public FaceDetector {
 public:
  TinyDetector(std::unique_ptr<nn::InferenceSession> session, const TinyOptions& options)
      : session_(std::move(session)), options_(options) {}

  Result<std::vector<Detection>> Detect(const Image& image) override {
    if (image.empty()) return InvalidArgument("tiny detector: empty image");
    const int size = options_.input_size;
    nn::Tensor input({1, 3, size, size});
    // face-api: (x - mean) / 255; as a product it differs by at most an ulp.
    const Normalization norm{{kMeanRgb[0], kMeanRgb[1], kMeanRgb[2]}, 1.0f / 255.0f};
    PadResizeNormalize(image, {0, 0, image.width, image.height}, PadMode::kEnd, size, norm,
                       input.data.data());
    auto outputs = session_->Run(input);
    if (!outputs.ok()) return outputs.status();
    const int cells = size / 32;
    if (outputs->size() != 1 ||
        (*outputs)[0].shape != std::vector<int>{1, kAnchors * kPerAnchor, cells, cells}) {
      return Internal("tiny detector: unexpected output shape from tiny_face_detector.onnx");
    }
    return Select(image, (*outputs)[0].data.data(), cells);
  }

 private:
  // TinyYolov2Base.extractBoxes + nonMaxSuppression + ObjectDetection, in face-api's doubles.
  std::vector<Detection> Select(const Image& image, const float* grid, int cells) const {
    // The square the net saw holds the photo scaled to (reshaped_w, reshaped_h) at its top left.
    const int size = options_.input_size;
    const double scale = static_cast<double>(size) / std::max(image.width, image.height);
    const double reshaped_w = static_cast<double>(std::lround(image.width * scale));
    const double reshaped_h = static_cast<double>(std::lround(image.height * scale));
    const double side = std::max(reshaped_w, reshaped_h);
    const double correction_x = side / reshaped_w, correction_y = side / reshaped_h;

    std::vector<RelBox> boxes;
    std::vector<double> scores;
    const size_t plane = static_cast<size_t>(cells) * cells;
    for (int row = 0; row < cells; ++row) {
      for (int col = 0; col < cells; ++col) {
        for (int a = 0; a < kAnchors; ++a) {
          const float* v =
              grid + static_cast<size_t>(a * kPerAnchor) * plane + static_cast<size_t>(row) * cells + col;
          const double score = Sigmoid(v[4 * plane]);
          if (!(score > options_.min_score)) continue;
          const double cx = ((col + Sigmoid(v[0])) / cells) * correction_x;
          const double cy = ((row + Sigmoid(v[plane])) / cells) * correction_y;
          const double w =
              ((std::exp(static_cast<double>(v[2 * plane])) * kAnchorW[a]) / cells) * correction_x;
          const double h =
              ((std::exp(static_cast<double>(v[3 * plane])) * kAnchorH[a]) / cells) * correction_y;
          const double x = cx - w / 2, y = cy - h / 2;
          // BoundingBox(left, top, right, bottom) stores right - left, not w.
          boxes.push_back({x, y, (x + w) - x, (y + h) - y});
          scores.push_back(score);
        }
      }
    }

    // face-api sorts ascending (stably) and pops the best: among equal scores the last one wins.
    std::vector<size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return scores[i] < scores[j]; });
    // face-api compares the boxes scaled to the input size (IoU barely notices; rounding might).
    std::vector<RelBox> scaled(boxes.size());
    std::transform(boxes.begin(), boxes.end(), scaled.begin(), [&](const RelBox& b) {
      return RelBox{b.x * size, b.y * size, b.width * size, b.height * size};
    });
    std::vector<size_t> picked;
    while (!order.empty()) {
      const size_t best = order.back();
      order.pop_back();
      picked.push_back(best);
      std::erase_if(order, [&](size_t i) { return Iou(scaled[best], scaled[i]) > options_.iou; });
    }

    std::vector<Detection> out;
    out.reserve(picked.size());
    for (size_t i : picked) {
      const RelBox& b = boxes[i];
      Detection d;
      d.box = {static_cast<float>(b.x * image.width), static_cast<float>(b.y * image.height),
               static_cast<float>(b.width * image.width), static_cast<float>(b.height * image.height)};
      d.score = static_cast<float>(scores[i]);
      out.push_back(d);
    }
    return out;
  }

  std::unique_ptr<nn::InferenceSession> session_;
  TinyOptions options_;
};

}  // namespace

Result<std::unique_ptr<FaceDetector>> OpenFaceApiTinyDetector(const std::filesystem::path& model_dir,
                                                              nn::Backend backend,
                                                              const TinyOptions& options) {
  if (options.input_size < 32 || options.input_size % 32 != 0) {
    return InvalidArgument("tiny detector: input_size must be a positive multiple of 32");
  }
  if (!(options.min_score >= 0 && options.min_score < 1) || !(options.iou >= 0 && options.iou <= 1)) {
    return InvalidArgument("tiny detector: min_score must be in [0, 1), iou in [0, 1]");
  }
  nn::SessionOptions session_options;
  session_options.precision = options.precision;
  session_options.threads = options.threads;
  auto session = nn::OpenSession(backend, model_dir / "tiny_face_detector.onnx", session_options);
  if (!session.ok()) return session.status();
  return std::unique_ptr<FaceDetector>(new TinyDetector(std::move(*session), options));
}

}  // namespace facetag::face

// face-api's SSD MobileNetV1 face detector -> ONNX (opset 10).
//
// Contract (the runtime, src/face/faceapi/ssd_detector.cc, relies on it):
//   ssd_mobilenetv1.onnx
//     input  "input"  [1, 3, 512, 512]  RGB planes, already normalised: x / 127.5 - 1, the photo
//                                        padded bottom/right to a square and resized to 512
//                                        with TF's legacy bilinear.
//     output "boxes"  [1, 5118, 4]      raw box encodings (ty, tx, th, tw), not decoded
//     output "scores" [1, 5118]         the face logit (class 1 of 3) before the sigmoid
//   ssd_mobilenetv1_anchors.bin         the priors, little-endian float32 [5118, 4] as
//                                        (ymin, xmin, ymax, xmax) in 0..1 (`Output/extra_dim`)
// Priors run over the six heads (32x32x3, 16x16x6, 8x8x6, 4x4x6, 2x2x6, 1x1x6), each in row,
// column, anchor order, as face-api's reshapes lay them out.
//
// Decoding, suppression and the scaling back to pixels stay in the runtime: they are a few lines
// of scalar code there, where face-api's float/double arithmetic can be followed step by step.
//
// Batch norm is folded into the depthwise filters and biases here (exact up to float rounding);
// OpenCV then fuses each Conv with its ReLU6 (Clip 0..6).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "faceapi_weights.h"
#include "layout.h"
#include "nets.h"
#include "onnx_writer.h"

namespace facetag::convert {
namespace {

constexpr int kInputSize = 512;
constexpr int kNumPriors = 5118;
// tfjs passes this float32 value as the batch-norm epsilon.
constexpr double kBatchNormEpsilon = 0.0010000000474974513;

using Attr = OnnxAttribute;

class SsdBuilder {
 public:
  explicit SsdBuilder(const FaceApiWeights& w) : w_(w), g_("ssd_mobilenetv1") {}

  OnnxGraph Build() {
    g_.AddInput("input", {1, 3, kInputSize, kInputSize});
    std::string x = "input";
    int size = kInputSize;

    // MobileNetV1: conv_0 (stride 2) then 13 depthwise/pointwise pairs.
    x = PointwiseConv(x, "MobilenetV1/Conv2d_0_pointwise", 2, size);
    size = (size + 1) / 2;
    std::string conv11;
    for (int i = 1; i <= 13; ++i) {
      const bool down = i == 2 || i == 4 || i == 6 || i == 12;
      x = DepthwiseConvBn(x, "MobilenetV1/Conv2d_" + std::to_string(i) + "_depthwise", down ? 2 : 1, size);
      if (down) size = (size + 1) / 2;
      x = PointwiseConv(x, "MobilenetV1/Conv2d_" + std::to_string(i) + "_pointwise", 1, size);
      if (i == 11) conv11 = x;
    }

    // Extra feature layers: 1x1 then 3x3 stride 2, four times (16 -> 8 -> 4 -> 2 -> 1).
    std::vector<std::string> features = {conv11, x};
    for (int i = 0; i < 8; i += 2) {
      x = PointwiseConv(x, "Prediction/Conv2d_" + std::to_string(i) + "_pointwise", 1, size);
      x = PointwiseConv(x, "Prediction/Conv2d_" + std::to_string(i + 1) + "_pointwise", 2, size);
      size = (size + 1) / 2;
      features.push_back(x);
    }

    std::vector<std::string> boxes, scores;
    for (int i = 0; i < 6; ++i) {
      const std::string prefix = "Prediction/BoxPredictor_" + std::to_string(i);
      boxes.push_back(Head(features[i], prefix + "/BoxEncodingPredictor", 4, -1));
      scores.push_back(Head(features[i], prefix + "/ClassPredictor", 3, 1));
    }
    g_.AddNode("Concat", boxes, {Attr::Int("axis", 1)}, "boxes");
    const std::string logits = g_.AddNode("Concat", scores, {Attr::Int("axis", 1)});
    // [1, 5118, 1] -> [1, 5118]
    g_.AddNode("Reshape", {logits, g_.AddInt64s("scores_shape", {2}, {0, -1})}, {}, "scores");
    g_.AddOutput("boxes", {1, kNumPriors, 4});
    g_.AddOutput("scores", {1, kNumPriors});
    return std::move(g_);
  }

 private:
  // TF "same" padding for a k x k kernel: the odd extra pixel goes at the end.
  static std::vector<int64_t> SamePads(int in, int k, int stride) {
    const int out = (in + stride - 1) / stride;
    const int total = std::max((out - 1) * stride + k - in, 0);
    const int begin = total / 2, end = total - begin;
    return {begin, begin, end, end};
  }

  std::string Conv(const std::string& x, std::vector<float> filter, std::vector<int64_t> filter_dims,
                   std::vector<float> bias, int stride, int group, int in_size, const std::string& name) {
    const int k = static_cast<int>(filter_dims[2]);
    const int64_t out_ch = filter_dims[0];
    const std::string wname = g_.AddFloats(name + "/W", std::move(filter_dims), std::move(filter));
    const std::string bname = g_.AddFloats(name + "/B", {out_ch}, std::move(bias));
    std::vector<Attr> attrs = {Attr::Ints("kernel_shape", {k, k}), Attr::Ints("strides", {stride, stride}),
                               Attr::Ints("pads", SamePads(in_size, k, stride))};
    if (group != 1) attrs.push_back(Attr::Int("group", group));
    return g_.AddNode("Conv", {x, wname, bname}, std::move(attrs));
  }

  std::string Relu6(const std::string& x) {
    return g_.AddNode("Clip", {x}, {Attr::Float("min", 0.0f), Attr::Float("max", 6.0f)});
  }

  // conv (1x1 or 3x3, "same") + convolution_bn_offset + ReLU6.
  std::string PointwiseConv(const std::string& x, const std::string& prefix, int stride, int in_size) {
    const WeightTensor& f = w_.Get(prefix + "/weights");
    const std::vector<int64_t> dims = {f.shape[3], f.shape[2], f.shape[0], f.shape[1]};
    return Relu6(Conv(x, ConvFilterToOnnx(f), dims, w_.Get(prefix + "/convolution_bn_offset").values, stride,
                      1, in_size, prefix));
  }

  // depthwise 3x3 "same" + batch norm (folded) + ReLU6.
  std::string DepthwiseConvBn(const std::string& x, const std::string& prefix, int stride, int in_size) {
    const WeightTensor& f = w_.Get(prefix + "/depthwise_weights");
    const int channels = f.shape[2], taps = f.shape[0] * f.shape[1];
    const auto& gamma = w_.Get(prefix + "/BatchNorm/gamma").values;
    const auto& beta = w_.Get(prefix + "/BatchNorm/beta").values;
    const auto& mean = w_.Get(prefix + "/BatchNorm/moving_mean").values;
    const auto& var = w_.Get(prefix + "/BatchNorm/moving_variance").values;
    std::vector<float> filter = DepthwiseFilterToOnnx(f), bias(channels);
    for (int c = 0; c < channels; ++c) {
      const double scale = gamma[c] / std::sqrt(static_cast<double>(var[c]) + kBatchNormEpsilon);
      for (int t = 0; t < taps; ++t) filter[c * taps + t] = static_cast<float>(filter[c * taps + t] * scale);
      bias[c] = static_cast<float>(beta[c] - mean[c] * scale);
    }
    return Relu6(Conv(x, std::move(filter), {channels, 1, f.shape[0], f.shape[1]}, std::move(bias), stride,
                      channels, in_size, prefix));
  }

  // A 1x1 head conv, NCHW -> [1, H*W*anchors, per_anchor] in row, column, anchor order.
  // keep >= 0 keeps only that one value per anchor (the face logit), dropping the other filters.
  std::string Head(const std::string& x, const std::string& prefix, int per_anchor, int keep) {
    const WeightTensor& f = w_.Get(prefix + "/weights");
    std::vector<float> filter = ConvFilterToOnnx(f), bias = w_.Get(prefix + "/biases").values;
    const int in_ch = f.shape[2];
    int out_ch = f.shape[3];
    if (keep >= 0) {
      const int anchors = out_ch / per_anchor;
      std::vector<float> kf, kb;
      for (int a = 0; a < anchors; ++a) {
        const int o = a * per_anchor + keep;
        kf.insert(kf.end(), filter.begin() + static_cast<ptrdiff_t>(o) * in_ch,
                  filter.begin() + static_cast<ptrdiff_t>(o + 1) * in_ch);
        kb.push_back(bias[o]);
      }
      filter = std::move(kf);
      bias = std::move(kb);
      out_ch = anchors;
      per_anchor = 1;
    }
    const std::string conv =
        Conv(x, std::move(filter), {out_ch, in_ch, 1, 1}, std::move(bias), 1, 1, 1, prefix);
    const std::string nhwc = g_.AddNode("Transpose", {conv}, {Attr::Ints("perm", {0, 2, 3, 1})});
    const std::string shape = g_.AddInt64s(prefix + "/shape", {3}, {0, -1, per_anchor});
    return g_.AddNode("Reshape", {nhwc, shape});
  }

  const FaceApiWeights& w_;
  OnnxGraph g_;
};

Status WriteAnchors(const WeightTensor& anchors, const std::filesystem::path& path) {
  if (anchors.values.size() != static_cast<size_t>(kNumPriors) * 4) {
    return Corrupt("Output/extra_dim holds " + std::to_string(anchors.values.size()) + " values, expected " +
                   std::to_string(kNumPriors * 4));
  }
  // Written beside and renamed, so a reader never sees half a file.
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    // float32 as the host stores it: little-endian on every platform we build on.
    f.write(reinterpret_cast<const char*>(anchors.values.data()),
            static_cast<std::streamsize>(anchors.values.size() * sizeof(float)));
    if (!f.flush()) return IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status ConvertSsdMobilenetV1(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir) {
  auto weights = FaceApiWeights::Load(model_dir, "ssd_mobilenetv1_model");
  if (!weights.ok()) return weights.status();
  const OnnxGraph graph = SsdBuilder(*weights).Build();
  FACETAG_RETURN_IF_ERROR(graph.Write(out_dir / "ssd_mobilenetv1.onnx"));
  return WriteAnchors(weights->Get("Output/extra_dim"), out_dir / "ssd_mobilenetv1_anchors.bin");
}

}  // namespace facetag::convert

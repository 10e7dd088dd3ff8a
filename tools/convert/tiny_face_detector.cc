// face-api's tiny face detector (a Tiny-YOLOv2 with depthwise-separable convs) -> ONNX (opset 10).
//
// Contract (the runtime, src/face/faceapi/tiny_detector.cc, relies on it):
//   tiny_face_detector.onnx
//     input  "input" [1, 3, S, S]  RGB planes, (x - [117.001, 114.697, 97.404]) / 255, the photo
//                                  padded bottom/right to a square and resized to S with TF's
//                                  legacy bilinear. Declared as S = 416; any multiple of 32 runs,
//                                  since nothing in the graph fixes a spatial size.
//     output "grid"  [1, 25, S/32, S/32]  raw YOLO cells: channel 5 * anchor + k with k = x, y,
//                                  w, h, score logits; anchors and decoding in the runtime.
//
// Layers: conv0 3x3 "valid" + leaky 0.1; then five times 2x2 max pool stride 2 + separable conv
// (pad 1, depthwise 3x3, pointwise 1x1 + bias, leaky); a 2x2 stride-1 max pool; conv8 1x1.
// TF "same" max pools pad at the end only when the input is odd: for S = 32k that is the second
// pool (16k - 1 -> 8k) and the stride-1 pool, whatever k is, so the pads are constants.
#include <string>
#include <vector>

#include "faceapi_weights.h"
#include "layout.h"
#include "nets.h"
#include "onnx_writer.h"

namespace facetag::convert {
namespace {

using Attr = OnnxAttribute;

// tfjs's leaky() multiplies by this float32 constant.
constexpr float kLeakyAlpha = 0.1f;

class TinyBuilder {
 public:
  explicit TinyBuilder(const FaceApiWeights& w) : w_(w), g_("tiny_face_detector") {}

  OnnxGraph Build() {
    g_.AddInput("input", {1, 3, 416, 416});
    std::string x =
        Leaky(Conv(x_in_, "conv0", w_.Get("conv0/filters"), /*pad=*/0, /*depthwise=*/false, true));
    for (int i = 1; i <= 5; ++i) {
      // 2x2 stride-2 pools: odd input (only before conv2) gets a trailing pad row/column.
      x = MaxPool(x, 2, i == 2 ? 1 : 0);
      x = SeparableConv(x, "conv" + std::to_string(i));
    }
    x = MaxPool(x, 1, 1);
    Conv(x, "conv8", w_.Get("conv8/filters"), 0, false, true, "grid");
    g_.AddOutput("grid", {1, 25, 13, 13});
    return std::move(g_);
  }

 private:
  std::string Conv(const std::string& x, const std::string& prefix, const WeightTensor& f, int pad,
                   bool depthwise, bool with_bias, const std::string& output = "") {
    const int k = f.shape[0];
    std::vector<std::string> inputs = {x};
    std::vector<Attr> attrs = {Attr::Ints("kernel_shape", {k, k}), Attr::Ints("pads", {pad, pad, pad, pad})};
    if (depthwise) {
      inputs.push_back(g_.AddFloats(prefix + "/dw", {f.shape[2], 1, k, k}, DepthwiseFilterToOnnx(f)));
      attrs.push_back(Attr::Int("group", f.shape[2]));
    } else {
      inputs.push_back(g_.AddFloats(prefix + "/W", {f.shape[3], f.shape[2], k, k}, ConvFilterToOnnx(f)));
    }
    if (with_bias)
      inputs.push_back(g_.AddFloats(prefix + "/B", {f.shape[3]}, w_.Get(prefix + "/bias").values));
    return g_.AddNode("Conv", std::move(inputs), std::move(attrs), output);
  }

  std::string Leaky(const std::string& x) {
    return g_.AddNode("LeakyRelu", {x}, {Attr::Float("alpha", kLeakyAlpha)});
  }

  // 2x2 max pool; TF "same" pads (ignored by the max) only at the end.
  std::string MaxPool(const std::string& x, int stride, int end_pad) {
    return g_.AddNode("MaxPool", {x},
                      {Attr::Ints("kernel_shape", {2, 2}), Attr::Ints("strides", {stride, stride}),
                       Attr::Ints("pads", {0, 0, end_pad, end_pad})});
  }

  // tf.pad by 1, depthwise 3x3 "valid", pointwise 1x1 + bias, leaky.
  std::string SeparableConv(const std::string& x, const std::string& prefix) {
    const std::string dw = Conv(x, prefix, w_.Get(prefix + "/depthwise_filter"), 1, true, false);
    return Leaky(Conv(dw, prefix, w_.Get(prefix + "/pointwise_filter"), 0, false, true));
  }

  const FaceApiWeights& w_;
  OnnxGraph g_;
  const std::string x_in_ = "input";
};

}  // namespace

Status ConvertTinyFaceDetector(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir) {
  auto weights = FaceApiWeights::Load(model_dir, "tiny_face_detector_model");
  if (!weights.ok()) return weights.status();
  return TinyBuilder(*weights).Build().Write(out_dir / "tiny_face_detector.onnx");
}

}  // namespace facetag::convert

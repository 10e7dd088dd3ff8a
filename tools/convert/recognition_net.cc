// face_recognition_model (face-api's port of dlib's ResNet-29) -> face_recognition.onnx.
//
// Contract: input "input" [N,3,150,150], RGB, already normalised as (pixel - mean) / 255 with
// mean = [122.782, 117.001, 104.298]; output "descriptor" [N,128] (not L2-normalised).
//
// Mirrors faceRecognitionNet/FaceRecognitionNet.ts and residualLayer.ts. One rewrite, exact up
// to float rounding, saves OpenCV DNN two layers per conv: face-api's per-channel scale layer
// after every conv + bias ((conv + b) * s + t) is folded into the conv's filters and bias.
#include <stdexcept>
#include <string>
#include <vector>

#include "faceapi_weights.h"
#include "layout.h"
#include "nets.h"
#include "onnx_writer.h"

namespace facetag::convert {
namespace {

using Attr = OnnxAttribute;

class RecognitionGraphBuilder {
 public:
  RecognitionGraphBuilder(const FaceApiWeights& w, OnnxGraph& g) : w_(w), g_(g) {}

  // face-api's convLayer: conv + bias, then scale; relu optional. `pad` is symmetric (TF "same"
  // for 3x3 stride 1 is 1 on every side; "valid" is 0).
  std::string ConvLayer(const std::string& x, const std::string& prefix, int stride, int pad, bool relu) {
    const WeightTensor& filters = w_.Get(prefix + "/conv/filters");
    const WeightTensor& bias = w_.Get(prefix + "/conv/bias");
    const WeightTensor& scale = w_.Get(prefix + "/scale/weights");
    const WeightTensor& shift = w_.Get(prefix + "/scale/biases");
    const int kh = filters.shape[0], kw = filters.shape[1], in = filters.shape[2], out = filters.shape[3];
    if (static_cast<int>(scale.values.size()) != out)
      throw std::runtime_error(prefix + ": scale size mismatch");

    std::vector<float> onnx_filters = ConvFilterToOnnx(filters);
    const size_t per_out = static_cast<size_t>(in) * kh * kw;
    std::vector<float> onnx_bias(out);
    for (int o = 0; o < out; ++o) {
      const float s = scale.values[o];
      for (size_t i = 0; i < per_out; ++i) onnx_filters[o * per_out + i] *= s;
      onnx_bias[o] = bias.values[o] * s + shift.values[o];
    }
    const std::string wname = g_.AddFloats(prefix + "/W", {out, in, kh, kw}, std::move(onnx_filters));
    const std::string bname = g_.AddFloats(prefix + "/B", {out}, std::move(onnx_bias));
    std::string y = g_.AddNode("Conv", {x, wname, bname},
                               {Attr::Ints("kernel_shape", {kh, kw}), Attr::Ints("strides", {stride, stride}),
                                Attr::Ints("pads", {pad, pad, pad, pad})},
                               prefix + "/conv");
    if (relu) y = g_.AddNode("Relu", {y}, {}, prefix + "/relu");
    return y;
  }

  // residual(): relu(conv2(conv1(x)) + x).
  std::string Residual(const std::string& x, const std::string& prefix) {
    std::string y = ConvLayer(x, prefix + "/conv1", 1, 1, true);
    y = ConvLayer(y, prefix + "/conv2", 1, 1, false);
    y = g_.AddNode("Add", {y, x}, {}, prefix + "/add");
    return g_.AddNode("Relu", {y}, {}, prefix + "/out");
  }

  // residualDown(): the conv branch is a "valid" 3x3 stride-2 conv then a "same" conv; the
  // shortcut is avgPool(2, 2, valid) with zero channels appended. When the branches differ in
  // size (3 vs 4 at the 256 stage, 1 vs 2 at the end) face-api appends a zero row at the bottom
  // and a zero column at the right of the conv branch. `in_size` is x's height (= width).
  std::string ResidualDown(const std::string& x, const std::string& prefix, int in_size) {
    std::string y = ConvLayer(x, prefix + "/conv1", 2, 0, true);
    y = ConvLayer(y, prefix + "/conv2", 1, 1, false);
    const int conv_size = (in_size - 3) / 2 + 1;
    const int pool_size = in_size / 2;
    if (conv_size != pool_size) {
      if (pool_size != conv_size + 1) throw std::logic_error(prefix + ": unexpected branch sizes");
      // Opset 10 Pad: pads as an attribute, [begins (N, C, H, W), ends (N, C, H, W)].
      y = g_.AddNode("Pad", {y},
                     {Attr::String("mode", "constant"), Attr::Ints("pads", {0, 0, 0, 0, 0, 0, 1, 1}),
                      Attr::Float("value", 0.0f)},
                     prefix + "/pad");
    }
    const WeightTensor& conv1 = w_.Get(prefix + "/conv1/conv/filters");  // [3, 3, in, out]
    const std::string shortcut = Shortcut(x, prefix, conv1.shape[2], conv1.shape[3]);
    y = g_.AddNode("Add", {y, shortcut}, {}, prefix + "/add");
    return g_.AddNode("Relu", {y}, {}, prefix + "/out");
  }

 private:
  // avgPool(2, 2, "valid"), then zero channels appended up to `out`. (A 2x2 stride-2 conv with
  // 0.25 on the diagonal does both in one layer, but costs OpenCV DNN 2.5x the time of the
  // pool + pad pair: it multiplies by all the zeros.)
  std::string Shortcut(const std::string& x, const std::string& prefix, int in, int out) {
    std::string y = g_.AddNode(
        "AveragePool", {x},
        {Attr::Ints("kernel_shape", {2, 2}), Attr::Ints("strides", {2, 2}), Attr::Ints("pads", {0, 0, 0, 0})},
        prefix + "/shortcut");
    if (out != in) {
      y = g_.AddNode("Pad", {y},
                     {Attr::String("mode", "constant"), Attr::Ints("pads", {0, 0, 0, 0, 0, out - in, 0, 0}),
                      Attr::Float("value", 0.0f)},
                     prefix + "/shortcut_pad");
    }
    return y;
  }

  const FaceApiWeights& w_;
  OnnxGraph& g_;
};

}  // namespace

Status ConvertRecognitionNet(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir) {
  auto weights = FaceApiWeights::Load(model_dir, "face_recognition_model");
  if (!weights.ok()) return weights.status();

  OnnxGraph g("face_recognition");
  g.AddInput("input", {-1, 3, 150, 150});
  RecognitionGraphBuilder b(*weights, g);

  std::string x = b.ConvLayer("input", "conv32_down", 2, 0, true);  // 150 -> 72
  x = g.AddNode(
      "MaxPool", {x},
      {Attr::Ints("kernel_shape", {3, 3}), Attr::Ints("strides", {2, 2}), Attr::Ints("pads", {0, 0, 0, 0})},
      "pool");  // 72 -> 35
  x = b.Residual(x, "conv32_1");
  x = b.Residual(x, "conv32_2");
  x = b.Residual(x, "conv32_3");
  x = b.ResidualDown(x, "conv64_down", 35);  // -> 17
  x = b.Residual(x, "conv64_1");
  x = b.Residual(x, "conv64_2");
  x = b.Residual(x, "conv64_3");
  x = b.ResidualDown(x, "conv128_down", 17);  // -> 8
  x = b.Residual(x, "conv128_1");
  x = b.Residual(x, "conv128_2");
  x = b.ResidualDown(x, "conv256_down", 8);  // -> 4 (conv branch 3, padded)
  x = b.Residual(x, "conv256_1");
  x = b.Residual(x, "conv256_2");
  x = b.ResidualDown(x, "conv256_down_out", 4);  // -> 2 (conv branch 1, padded)

  x = g.AddNode("GlobalAveragePool", {x}, {}, "global_avg");
  x = g.AddNode("Flatten", {x}, {Attr::Int("axis", 1)}, "flat");
  const WeightTensor& fc = weights->Get("fc");  // [256, 128]
  const std::string fc_w = g.AddFloats("fc/W", {fc.shape[1], fc.shape[0]}, DenseToOnnx(fc));
  const std::string fc_b = g.AddFloats("fc/B", {fc.shape[1]}, std::vector<float>(fc.shape[1], 0.0f));
  g.AddNode("Gemm", {x, fc_w, fc_b}, {Attr::Int("transB", 1)}, "descriptor");
  g.AddOutput("descriptor", {-1, 128});

  return g.Write(out_dir / "face_recognition.onnx");
}

}  // namespace facetag::convert

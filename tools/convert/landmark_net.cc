// face_landmark_68_model (face-api's FaceLandmark68Net) -> face_landmark_68.onnx.
//
// Contract: input "input" [N,3,112,112], RGB, already normalised as (pixel - mean) / 255 with
// mean = [122.782, 117.001, 104.298]; output "landmarks" [N,136] = x0, y0, x1, y1, ... relative
// to the padded square input (face-api's raw net output, before postProcess maps it back).
//
// Mirrors faceFeatureExtractor/FaceFeatureExtractor.ts + denseBlock.ts (denseBlock4) and
// faceProcessor/FaceProcessor.ts (fully connected head).
#include <string>
#include <vector>

#include "faceapi_weights.h"
#include "layout.h"
#include "nets.h"
#include "onnx_writer.h"

namespace facetag::convert {
namespace {

using Attr = OnnxAttribute;

// TF "same" padding as ONNX pads [top, left, bottom, right]: for a 3x3 kernel, stride 1 pads one
// pixel on every side; stride 2 on an even size pads only one at the end.
std::vector<int64_t> SamePads(int stride) {
  return stride == 1 ? std::vector<int64_t>{1, 1, 1, 1} : std::vector<int64_t>{0, 0, 1, 1};
}

class LandmarkGraphBuilder {
 public:
  LandmarkGraphBuilder(const FaceApiWeights& w, OnnxGraph& g) : w_(w), g_(g) {}

  // dense0/conv0: a plain 3x3 conv + bias.
  std::string Conv(const std::string& x, const std::string& prefix, int stride) {
    const WeightTensor& f = w_.Get(prefix + "/filters");
    const int kh = f.shape[0], kw = f.shape[1], in = f.shape[2], out = f.shape[3];
    const std::string wname = g_.AddFloats(prefix + "/W", {out, in, kh, kw}, ConvFilterToOnnx(f));
    const std::string bname = g_.AddFloats(prefix + "/B", {out}, w_.Get(prefix + "/bias").values);
    return g_.AddNode("Conv", {x, wname, bname},
                      {Attr::Ints("kernel_shape", {kh, kw}), Attr::Ints("strides", {stride, stride}),
                       Attr::Ints("pads", SamePads(stride))},
                      prefix);
  }

  // depthwiseSeparableConv: tf.separableConv2d (depthwise 3x3, then pointwise 1x1), then + bias.
  std::string SeparableConv(const std::string& x, const std::string& prefix, int stride) {
    const WeightTensor& dw = w_.Get(prefix + "/depthwise_filter");
    const WeightTensor& pw = w_.Get(prefix + "/pointwise_filter");
    const int c = dw.shape[2], out = pw.shape[3];
    const std::string dw_name =
        g_.AddFloats(prefix + "/dw/W", {c, 1, dw.shape[0], dw.shape[1]}, DepthwiseFilterToOnnx(dw));
    const std::string y =
        g_.AddNode("Conv", {x, dw_name},
                   {Attr::Int("group", c), Attr::Ints("kernel_shape", {dw.shape[0], dw.shape[1]}),
                    Attr::Ints("strides", {stride, stride}), Attr::Ints("pads", SamePads(stride))},
                   prefix + "/dw");
    const std::string pw_name = g_.AddFloats(prefix + "/pw/W", {out, c, 1, 1}, ConvFilterToOnnx(pw));
    const std::string b_name = g_.AddFloats(prefix + "/pw/B", {out}, w_.Get(prefix + "/bias").values);
    return g_.AddNode("Conv", {y, pw_name, b_name}, {Attr::Ints("kernel_shape", {1, 1})}, prefix + "/pw");
  }

  // denseBlock4 with isScaleDown: every conv sees the sum of all earlier outputs of the block.
  // face-api adds pairwise, right to left (out1 + (out2 + (out3 + out4))). One n-ary Sum per
  // total reads each tensor once instead of once per Add (Eltwise is memory-bound and took a
  // fifth of the net's time; the whole net gets 2..7% faster in OpenCV DNN), and listing the
  // inputs last-first keeps face-api's rounding order.
  std::string DenseBlock(const std::string& x, const std::string& prefix, bool first) {
    const std::string out1 =
        Relu(first ? Conv(x, prefix + "/conv0", 2) : SeparableConv(x, prefix + "/conv0", 2));
    const std::string out2 = SeparableConv(out1, prefix + "/conv1", 1);
    const std::string in3 = Relu(Sum({out2, out1}));
    const std::string out3 = SeparableConv(in3, prefix + "/conv2", 1);
    const std::string in4 = Relu(Sum({out3, out2, out1}));
    const std::string out4 = SeparableConv(in4, prefix + "/conv3", 1);
    return Relu(Sum({out4, out3, out2, out1}));
  }

 private:
  std::string Relu(const std::string& x) { return g_.AddNode("Relu", {x}); }
  std::string Sum(std::vector<std::string> terms) { return g_.AddNode("Sum", std::move(terms)); }

  const FaceApiWeights& w_;
  OnnxGraph& g_;
};

}  // namespace

Status ConvertLandmarkNet(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir) {
  auto weights = FaceApiWeights::Load(model_dir, "face_landmark_68_model");
  if (!weights.ok()) return weights.status();

  OnnxGraph g("face_landmark_68");
  g.AddInput("input", {-1, 3, 112, 112});
  LandmarkGraphBuilder b(*weights, g);
  std::string x = b.DenseBlock("input", "dense0", true);  // 112 -> 56
  x = b.DenseBlock(x, "dense1", false);                   // -> 28
  x = b.DenseBlock(x, "dense2", false);                   // -> 14
  x = b.DenseBlock(x, "dense3", false);                   // -> 7
  x = g.AddNode(
      "AveragePool", {x},
      {Attr::Ints("kernel_shape", {7, 7}), Attr::Ints("strides", {2, 2}), Attr::Ints("pads", {0, 0, 0, 0})},
      "avg_pool");  // -> 1 x 1
  x = g.AddNode("Flatten", {x}, {Attr::Int("axis", 1)}, "flat");
  const WeightTensor& fc = weights->Get("fc/weights");  // [256, 136]
  const std::string fc_w = g.AddFloats("fc/W", {fc.shape[1], fc.shape[0]}, DenseToOnnx(fc));
  const std::string fc_b = g.AddFloats("fc/B", {fc.shape[1]}, weights->Get("fc/bias").values);
  g.AddNode("Gemm", {x, fc_w, fc_b}, {Attr::Int("transB", 1)}, "landmarks");
  g.AddOutput("landmarks", {-1, 136});

  return g.Write(out_dir / "face_landmark_68.onnx");
}

}  // namespace facetag::convert

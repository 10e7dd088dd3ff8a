#include <atomic>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "nn/backends.h"

namespace facetag::nn {
namespace {

class OpenCvSession final : public InferenceSession {
 public:
  OpenCvSession(cv::dnn::Net net, std::vector<std::string> outputs)
      : net_(std::move(net)), outputs_(std::move(outputs)) {}

  Result<std::vector<Tensor>> Run(const Tensor& input) override {
    try {
      // Wraps, not copies: OpenCV reads the input during forward() only.
      cv::Mat blob(static_cast<int>(input.shape.size()), input.shape.data(), CV_32F,
                   const_cast<float*>(input.data.data()));
      net_.setInput(blob);
      std::vector<cv::Mat> mats;
      if (outputs_.empty()) {
        mats.push_back(net_.forward());
      } else {
        net_.forward(mats, outputs_);
      }
      std::vector<Tensor> out;
      out.reserve(mats.size());
      for (const cv::Mat& m : mats) {
        Tensor t(std::vector<int>(m.size.p, m.size.p + m.dims));
        const cv::Mat c = m.isContinuous() ? m : m.clone();
        std::copy_n(c.ptr<float>(), t.size(), t.data.data());
        out.push_back(std::move(t));
      }
      return out;
    } catch (const cv::Exception& e) {
      return Internal(std::string("OpenCV DNN: ") + e.what());
    }
  }

 private:
  cv::dnn::Net net_;
  std::vector<std::string> outputs_;
};

}  // namespace

Result<std::unique_ptr<InferenceSession>> OpenOpenCvSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(onnx_path, ec)) {
    return NotFound("model file " + onnx_path.string() + " is missing (run scripts/setup.sh)");
  }
  try {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(onnx_path.string());
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return std::unique_ptr<InferenceSession>(new OpenCvSession(std::move(net), options.output_names));
  } catch (const cv::Exception& e) {
    return Corrupt("cannot load model " + onnx_path.string() + ": " + e.what());
  }
}

namespace {
std::atomic<int> g_opencv_threads{0};
}  // namespace

void SetOpenCvThreads(int threads) {
  g_opencv_threads = threads;
  cv::setNumThreads(threads <= 0 ? -1 : threads);
}

int OpenCvThreads() { return g_opencv_threads.load(); }

std::string OpenCvSignature() {
  // OpenCV dispatches its DNN kernels on the widest of these the CPU has.
  const char* isa = cv::checkHardwareSupport(CV_CPU_AVX512_SKX) ? "avx512"
                    : cv::checkHardwareSupport(CV_CPU_AVX2)     ? "avx2"
                                                                : "sse";
  return std::string("opencv ") + CV_VERSION + " " + isa;
}

}  // namespace facetag::nn

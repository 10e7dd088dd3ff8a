// DescribeBackends: versions, instruction sets and precisions of the inference backends.
#include <opencv2/core.hpp>

#ifdef FACETAG_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

#include "bench/lib/bench.h"
#include "nn/backends.h"
#include "nn/session.h"

namespace facetag {

std::vector<BackendInfo> DescribeBackends() {
  std::vector<BackendInfo> out;
  BackendInfo opencv;
  opencv.name = "opencv";
  opencv.available = true;
  opencv.version = CV_VERSION;
  opencv.isa = cv::checkHardwareSupport(CV_CPU_AVX512_SKX) ? "avx512"
               : cv::checkHardwareSupport(CV_CPU_AVX2)     ? "avx2"
                                                           : "sse";
  opencv.precisions = {"f32"};
  out.push_back(opencv);

  BackendInfo onednn;
  onednn.name = "onednn";
#ifdef FACETAG_HAVE_ONEDNN
  onednn.available = true;
  const dnnl_version_t* v = dnnl_version();
  onednn.version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  onednn.isa = nn::OneDnnIsaName();
  onednn.precisions = {"f32"};
  // Native bf16 needs AVX512-BF16 or AMX (below that oneDNN has no fast kernel); it holds parity
  // (tests/pipeline/precision_parity_test.cc). int8 runs on AVX2's vpmaddubsw and up but does not
  // hold descriptor parity, so it is opt-in and not listed as a precision at parity.
  const bool native_bf16 = nn::PrecisionAvailable(nn::Backend::kOneDnn, nn::Precision::kBf16);
  if (native_bf16) onednn.precisions.push_back("bf16");
  onednn.note = std::string(native_bf16 ? "" : "no native bf16 on this CPU. ") +
                (nn::PrecisionAvailable(nn::Backend::kOneDnn, nn::Precision::kInt8)
                     ? "--precision int8 (opt-in): SSD detector faster, same faces, descriptors not at parity"
                     : "no fast int8 kernels on this CPU");
#else
  onednn.note = "this facetag was built without oneDNN";
#endif
  out.push_back(onednn);
  return out;
}

}  // namespace facetag

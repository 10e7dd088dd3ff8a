// OpenSession: picks the backend and, for shards > 1, wraps copies in a sharded session.
#include "nn/session.h"

#include "nn/backends.h"
#include "nn/sharded_session.h"

namespace facetag::nn {
namespace {

Result<std::unique_ptr<InferenceSession>> OpenOne(Backend backend, const std::filesystem::path& onnx_path,
                                                  const SessionOptions& options) {
  switch (backend) {
    case Backend::kOpenCv:
      if (options.precision != Precision::kF32) return Unsupported("OpenCV DNN runs f32 only");
      return OpenOpenCvSession(onnx_path, options);
    case Backend::kOneDnn:
#ifdef FACETAG_HAVE_ONEDNN
      return OpenOneDnnSession(onnx_path, options);
#else
      return Unsupported("this facetag was built without oneDNN");
#endif
  }
  return InvalidArgument("unknown inference backend");
}

}  // namespace

std::string Runner::Name() const {
  return std::string(BackendName(backend)) + " " + PrecisionName(precision);
}

const char* BackendName(Backend backend) { return backend == Backend::kOneDnn ? "onednn" : "opencv"; }

const char* PrecisionName(Precision precision) {
  switch (precision) {
    case Precision::kF32:
      return "f32";
    case Precision::kBf16:
      return "bf16";
    case Precision::kInt8:
      return "int8";
  }
  return "unknown";
}

bool BackendAvailable(Backend backend) {
#ifdef FACETAG_HAVE_ONEDNN
  (void)backend;
  return true;
#else
  return backend == Backend::kOpenCv;
#endif
}

bool PrecisionAvailable(Backend backend, Precision precision) {
  if (precision == Precision::kF32) return BackendAvailable(backend);
#ifdef FACETAG_HAVE_ONEDNN
  if (backend == Backend::kOneDnn && precision == Precision::kInt8) return OneDnnInt8Fast();
  if (backend == Backend::kOneDnn && precision == Precision::kBf16) return OneDnnBf16Native();
#endif
  return false;
}

Result<std::unique_ptr<InferenceSession>> OpenSession(Backend backend, const std::filesystem::path& onnx_path,
                                                      const SessionOptions& options) {
  if (options.shards <= 1) return OpenOne(backend, onnx_path, options);
  std::vector<std::unique_ptr<InferenceSession>> shards;
  for (int i = 0; i < options.shards; ++i) {
    auto one = OpenOne(backend, onnx_path, options);
    if (!one.ok()) return one.status();
    shards.push_back(std::move(*one));
  }
  return MakeShardedSession(std::move(shards));
}

std::string BackendSignature(Backend backend) {
  switch (backend) {
    case Backend::kOpenCv:
      return OpenCvSignature();
    case Backend::kOneDnn:
#ifdef FACETAG_HAVE_ONEDNN
      return OneDnnSignature();
#else
      return "onednn (not built)";
#endif
  }
  return "unknown";
}

}  // namespace facetag::nn

// The backends behind OpenSession (session.cc dispatches; each file opens one unsharded copy).
#pragma once

#include <filesystem>
#include <memory>

#include "nn/session.h"

namespace facetag::nn {

Result<std::unique_ptr<InferenceSession>> OpenOpenCvSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options);
void SetOpenCvThreads(int threads);

#ifdef FACETAG_HAVE_ONEDNN
Result<std::unique_ptr<InferenceSession>> OpenOneDnnSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options);
void SetOneDnnThreads(int threads);
bool OneDnnInt8Fast();  // oneDNN's int8 kernels beat f32 here (AVX2 or better)
#endif

}  // namespace facetag::nn

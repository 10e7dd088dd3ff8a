// The backends behind OpenSession (session.cc dispatches; each file opens one unsharded copy).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "nn/session.h"

namespace facetag::nn {

Result<std::unique_ptr<InferenceSession>> OpenOpenCvSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options);
std::string OpenCvSignature();

#ifdef FACETAG_HAVE_ONEDNN
Result<std::unique_ptr<InferenceSession>> OpenOneDnnSession(const std::filesystem::path& onnx_path,
                                                            const SessionOptions& options);
bool OneDnnInt8Fast();        // oneDNN's int8 kernels beat f32 here (AVX2 or better)
bool OneDnnBf16Native();      // native bf16 kernels here (AVX512-BF16 or AMX)
std::string OneDnnIsaName();  // "avx2", "avx512_core_amx", ... (ONEDNN_MAX_CPU_ISA caps it)
std::string OneDnnSignature();
#endif

}  // namespace facetag::nn

// Moves tfjs weight layouts to ONNX ones.
#pragma once

#include <vector>

#include "faceapi_weights.h"

namespace facetag::convert {

// Conv filter [kh, kw, in, out] -> [out, in, kh, kw].
std::vector<float> ConvFilterToOnnx(const WeightTensor& w);
// Depthwise filter [kh, kw, C, 1] -> [C, 1, kh, kw] (ONNX Conv with group = C).
std::vector<float> DepthwiseFilterToOnnx(const WeightTensor& w);
// Dense weights [in, out] -> [out, in] (for Gemm with transB = 1 or MatMul after a transpose).
std::vector<float> DenseToOnnx(const WeightTensor& w);

}  // namespace facetag::convert

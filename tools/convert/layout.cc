#include "layout.h"

#include <stdexcept>

namespace facetag::convert {

std::vector<float> ConvFilterToOnnx(const WeightTensor& w) {
  if (w.shape.size() != 4) throw std::invalid_argument("conv filter must be 4-D");
  const int kh = w.shape[0], kw = w.shape[1], in = w.shape[2], out = w.shape[3];
  std::vector<float> r(w.values.size());
  for (int y = 0; y < kh; ++y)
    for (int x = 0; x < kw; ++x)
      for (int i = 0; i < in; ++i)
        for (int o = 0; o < out; ++o)
          r[((static_cast<size_t>(o) * in + i) * kh + y) * kw + x] =
              w.values[((static_cast<size_t>(y) * kw + x) * in + i) * out + o];
  return r;
}

std::vector<float> DepthwiseFilterToOnnx(const WeightTensor& w) {
  if (w.shape.size() != 4 || w.shape[3] != 1)
    throw std::invalid_argument("depthwise filter must be [kh,kw,C,1]");
  const int kh = w.shape[0], kw = w.shape[1], c = w.shape[2];
  std::vector<float> r(w.values.size());
  for (int y = 0; y < kh; ++y)
    for (int x = 0; x < kw; ++x)
      for (int i = 0; i < c; ++i)
        r[(static_cast<size_t>(i) * kh + y) * kw + x] = w.values[(static_cast<size_t>(y) * kw + x) * c + i];
  return r;
}

std::vector<float> DenseToOnnx(const WeightTensor& w) {
  if (w.shape.size() != 2) throw std::invalid_argument("dense weights must be 2-D");
  const int in = w.shape[0], out = w.shape[1];
  std::vector<float> r(w.values.size());
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < out; ++o)
      r[static_cast<size_t>(o) * in + i] = w.values[static_cast<size_t>(i) * out + o];
  return r;
}

}  // namespace facetag::convert

// A dense float tensor, row-major (NCHW for images), owned by value. The currency between the
// face nets and whichever inference backend runs them.
#pragma once

#include <cstddef>
#include <functional>
#include <numeric>
#include <vector>

namespace facetag::nn {

struct Tensor {
  std::vector<int> shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(std::vector<int> s) : shape(std::move(s)), data(ElementCount(shape)) {}

  static size_t ElementCount(const std::vector<int>& s) {
    return std::accumulate(s.begin(), s.end(), size_t{1}, std::multiplies<>());
  }
  size_t size() const { return data.size(); }
  int dim(size_t i) const { return shape.at(i); }
};

}  // namespace facetag::nn

// The hnsw graph is built in batches whose search and linking both run on all threads: the
// neighbours it finds must not depend on the thread count, and must be those within the radius.
#include "people/hnsw_graph.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace facetag::people {
namespace {

// Clumps of points (so each has neighbours within the radius), enough of them that the
// batches reach their full size and link in parallel.
std::vector<float> Clumps(size_t n, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> unit(0.f, 1.f);
  std::vector<float> centres(200 * static_cast<size_t>(dim));
  for (auto& c : centres) c = 0.07f * unit(rng);
  std::vector<float> points(n * static_cast<size_t>(dim));
  for (size_t i = 0; i < n; ++i) {
    const size_t c = rng() % 200;
    for (int d = 0; d < dim; ++d) points[i * dim + d] = centres[c * dim + d] + 0.02f * unit(rng);
  }
  return points;
}

bool Same(const std::vector<std::vector<Neighbor>>& a, const std::vector<std::vector<Neighbor>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size()) return false;
    for (size_t k = 0; k < a[i].size(); ++k) {
      if (a[i][k].index != b[i][k].index || a[i][k].d2 != b[i][k].d2) return false;
    }
  }
  return true;
}

TEST(HnswGraph, NeighboursDoNotDependOnTheThreadCount) {
  constexpr int kDim = 128;
  constexpr size_t kPoints = 6000;
  const std::vector<float> points = Clumps(kPoints, kDim, 3);
  HnswBuildOptions o;
  o.eps2 = 0.3f * 0.3f;
  o.threads = 1;
  auto one = EarlierNeighbors(points.data(), kPoints, kDim, o);
  ASSERT_TRUE(one.ok());
  size_t found = 0;
  for (size_t i = 0; i < kPoints; ++i) {
    for (const Neighbor& e : (*one)[i]) {
      ASSERT_LT(e.index, i);
      ASSERT_LE(e.d2, o.eps2);
      ++found;
    }
  }
  EXPECT_GT(found, kPoints);  // the clumps are close: most points have several
  for (int threads : {2, 3, 5}) {
    o.threads = threads;
    auto many = EarlierNeighbors(points.data(), kPoints, kDim, o);
    ASSERT_TRUE(many.ok());
    EXPECT_TRUE(Same(*one, *many)) << threads << " threads";
  }
}

}  // namespace
}  // namespace facetag::people

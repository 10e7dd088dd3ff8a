// Neighbours within a radius, for the faces that need them: exact (the queries against every
// point) for small inputs, an hnswlib graph for large ones (see hnsw_graph.h). Either way the
// lists come out sorted by (distance, index), with distances from one function, so the
// caller's result depends neither on which search ran nor on hnswlib's internal order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/people.h"
#include "facetag/status.h"

namespace facetag::people {

struct Neighbor {
  uint32_t index;  // point index
  float d2;        // squared Euclidean distance
};

// Compressed rows: the neighbours of queries[q] are items[offsets[q] .. offsets[q + 1]).
struct NeighborLists {
  std::vector<uint64_t> offsets;
  std::vector<Neighbor> items;
  std::string method;  // "exact" or "hnsw"
  double index_s = 0;  // time spent building the hnsw graph
};

// Squared Euclidean distance. Summed in a fixed order with independent lanes, so that it is
// symmetric bit for bit (d(a, b) == d(b, a)) and vectorises without -ffast-math.
float SquaredL2(const float* a, const float* b, int dim);

// For each of `queries` (indices into the n x dim row-major `points`), its neighbours within
// `options.eps` other than itself, nearest first (ties: lower index), at most max_neighbors.
Result<NeighborLists> FindNeighbors(const float* points, size_t n, int dim,
                                    const std::vector<uint32_t>& queries, const GroupingOptions& options);

int ResolveThreads(int threads);

}  // namespace facetag::people

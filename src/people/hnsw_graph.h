// Approximate neighbours of every point through an hnsw graph (hnswlib), built so that the
// result is a function of the points alone, yet on several threads:
//  - points are quantised to int8 for the graph (a quarter of the bytes per distance); exact
//    float distances decide what counts as a neighbour;
//  - points are inserted in index order, in batches: every point of a batch searches the graph
//    as it stood before the batch, also considers the batch's earlier points, and picks its
//    links (in parallel: its own lists are not reachable yet); then the back links go in, in
//    parallel by target list, each list's in index order. The graph is the one linking the
//    points one by one in index order would give, so thread timing never changes it, unlike
//    hnswlib's own parallel addPoint;
//  - the search made while inserting a point already finds its nearest earlier points, which
//    are kept as its neighbours: no second pass of queries is needed.
#pragma once

#include <cstdint>
#include <vector>

#include "facetag/status.h"
#include "people/neighbor_search.h"

namespace facetag::people {

struct HnswBuildOptions {
  int m = 16;
  int ef_construction = 64;
  int threads = 1;
  uint32_t seed = 100;
  float eps2 = 0;     // squared radius of a neighbour
  size_t limit = 16;  // neighbours kept per point
};

// For each point i, its nearest earlier points j < i within the radius (nearest first, ties by
// index, at most `limit`). Every pair of close points is thus found from its later point.
Result<std::vector<std::vector<Neighbor>>> EarlierNeighbors(const float* points, size_t n, int dim,
                                                            const HnswBuildOptions& options);

}  // namespace facetag::people

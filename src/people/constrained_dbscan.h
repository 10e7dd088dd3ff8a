// DBSCAN over precomputed neighbour lists, with constraints: cannot-link (faces of one photo),
// anchors (faces that must stay with a given person) and rejections (a face that must never be
// with a given person). Pure and deterministic: links are tried closest first, ties by index.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "people/neighbor_search.h"

namespace facetag::people {

struct DbscanProblem {
  size_t n = 0;
  std::vector<int64_t> photo;   // per point: points with equal photo never share a group
  std::vector<int64_t> anchor;  // per point: person it must stay with, 0 when free
  // (point, person) pairs, sorted: that point never joins a group anchored to that person.
  std::vector<std::pair<uint32_t, int64_t>> rejections;
  // The free points that searched, and their neighbours (NeighborLists rows, same order).
  std::vector<uint32_t> queries;
  const NeighborLists* neighbors = nullptr;
  int min_points = 2;
  // The points' embeddings (n x dim), for the centroid rule below.
  const float* points = nullptr;
  int dim = 0;
  // Per point: whether it counts towards its group's mean. Faces a user placed by hand are
  // often the outliers grouping could not link; they would drag a small group's mean away.
  std::vector<uint8_t> in_centroid;
  // Two groups join only if their centroids are within this distance (0: no limit). Single
  // linkage alone chains different people through one close pair of faces; their centroids
  // stay apart, while the parts of one person's group have close centroids. A group with no
  // point counted in a mean is not held to it.
  float max_centroid_distance = 0;
};

struct DbscanResult {
  std::vector<int32_t> group;      // per point: group number, -1 for noise
  std::vector<int64_t> anchor_of;  // per group: its anchor person, 0 when free
  int64_t links = 0, refused_links = 0, refused_by_centroid = 0;
};

DbscanResult RunConstrainedDbscan(const DbscanProblem& problem);

}  // namespace facetag::people

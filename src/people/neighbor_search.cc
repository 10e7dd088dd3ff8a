#include "people/neighbor_search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "people/hnsw_graph.h"
#include "people/parallel_for.h"

namespace facetag::people {
namespace {

// Queries handed to a thread at a time: enough to amortise the atomic, few enough to balance.
constexpr size_t kSearchChunk = 64;

bool Closer(const Neighbor& a, const Neighbor& b) {
  return a.d2 < b.d2 || (a.d2 == b.d2 && a.index < b.index);
}

// Keeps the `limit` nearest of `found`, sorted nearest first (ties: lower index).
void KeepNearest(std::vector<Neighbor>& found, size_t limit) {
  if (found.size() > limit) {
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(limit), found.end(), Closer);
    found.resize(limit);
  } else {
    std::sort(found.begin(), found.end(), Closer);
  }
}

NeighborLists Flatten(std::vector<std::vector<Neighbor>>& per_query, std::string method) {
  NeighborLists out;
  out.method = std::move(method);
  out.offsets.resize(per_query.size() + 1, 0);
  for (size_t q = 0; q < per_query.size(); ++q) out.offsets[q + 1] = out.offsets[q] + per_query[q].size();
  out.items.reserve(out.offsets.back());
  for (auto& list : per_query) {
    out.items.insert(out.items.end(), list.begin(), list.end());
    std::vector<Neighbor>().swap(list);
  }
  return out;
}

NeighborLists ExactNeighbors(const float* points, size_t n, int dim, const std::vector<uint32_t>& queries,
                             float eps2, size_t limit, int threads) {
  std::vector<std::vector<Neighbor>> per_query(queries.size());
  ParallelFor(queries.size(), threads, kSearchChunk, [&](size_t q) {
    const uint32_t self = queries[q];
    const float* a = points + static_cast<size_t>(self) * dim;
    std::vector<Neighbor> found;
    for (size_t j = 0; j < n; ++j) {
      if (j == self) continue;
      const float d2 = SquaredL2(a, points + j * dim, dim);
      if (d2 <= eps2) found.push_back({static_cast<uint32_t>(j), d2});
    }
    KeepNearest(found, limit);
    per_query[q] = std::move(found);
  });
  return Flatten(per_query, "exact");
}

// Every point goes into the graph (anchored ones too: free faces must find them), and each
// close pair is found once, from its later point; the lists are then made symmetric.
Result<NeighborLists> HnswNeighbors(const float* points, size_t n, int dim,
                                    const std::vector<uint32_t>& queries, float eps2, size_t limit,
                                    const GroupingOptions& o, int threads) {
  const auto t_build = std::chrono::steady_clock::now();
  HnswBuildOptions build;
  build.m = o.hnsw_m;
  build.ef_construction = o.hnsw_ef_construction;
  build.threads = threads;
  build.seed = o.seed;
  build.eps2 = eps2;
  build.limit = limit;
  auto earlier = EarlierNeighbors(points, n, dim, build);
  FACETAG_RETURN_IF_ERROR(earlier.status());
  const double index_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_build).count();

  // Symmetric adjacency in compressed rows.
  std::vector<uint64_t> offsets(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    for (const Neighbor& e : (*earlier)[i]) ++offsets[i + 1], ++offsets[e.index + 1];
  }
  for (size_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  std::vector<Neighbor> all(offsets[n]);
  {
    std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      for (const Neighbor& e : (*earlier)[i]) {
        all[fill[i]++] = e;
        all[fill[e.index]++] = {static_cast<uint32_t>(i), e.d2};
      }
      std::vector<Neighbor>().swap((*earlier)[i]);
    }
  }
  std::vector<std::vector<Neighbor>> per_query(queries.size());
  ParallelFor(queries.size(), threads, kSearchChunk, [&](size_t q) {
    const uint32_t p = queries[q];
    std::vector<Neighbor> found(all.begin() + static_cast<std::ptrdiff_t>(offsets[p]),
                                all.begin() + static_cast<std::ptrdiff_t>(offsets[p + 1]));
    KeepNearest(found, limit);
    per_query[q] = std::move(found);
  });
  NeighborLists lists = Flatten(per_query, "hnsw");
  lists.index_s = index_s;
  return lists;
}

}  // namespace

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

float SquaredL2(const float* a, const float* b, int dim) {
  float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= dim; i += 8) {
    for (int k = 0; k < 8; ++k) {
      const float d = a[i + k] - b[i + k];
      lane[k] += d * d;
    }
  }
  float tail = 0;
  for (; i < dim; ++i) {
    const float d = a[i] - b[i];
    tail += d * d;
  }
  return ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7])) + tail;
}

Result<NeighborLists> FindNeighbors(const float* points, size_t n, int dim,
                                    const std::vector<uint32_t>& queries, const GroupingOptions& options) {
  if (dim <= 0 && n > 0) return InvalidArgument("embeddings have no dimension");
  if (n > UINT32_MAX) return InvalidArgument("too many faces for one grouping");
  const float eps2 = options.eps * options.eps;
  const size_t limit = static_cast<size_t>(std::max(1, options.max_neighbors));
  const int threads = ResolveThreads(options.threads);
  bool exact = options.search == GroupingOptions::Search::kExact;
  if (options.search == GroupingOptions::Search::kAuto) {
    // Exact costs queries x n distances; building a graph costs roughly a thousand per point.
    const double pairs = static_cast<double>(queries.size()) * static_cast<double>(n);
    exact = pairs <= 5e7 || queries.size() <= 1024;
  }
  try {
    if (exact || n < 2) return ExactNeighbors(points, n, dim, queries, eps2, limit, threads);
    return HnswNeighbors(points, n, dim, queries, eps2, limit, options, threads);
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory for the neighbour search of " + std::to_string(n) + " faces");
  } catch (const std::exception& e) {
    return Internal(std::string("neighbour search: ") + e.what());
  }
}

}  // namespace facetag::people

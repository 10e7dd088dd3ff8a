#include "people/hnsw_graph.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <compare>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <queue>
#include <thread>

// hnswlib.h defines non-inline functions: include it in this one file only. The batch insertion
// below uses HierarchicalNSW's public members as they are in hnswlib 0.6 (Debian 12's
// libhnswlib-dev): searchBaseLayer, mutuallyConnectNewElement, getRandomLevel and the element
// tables. A newer hnswlib may need this file adapted.
#include <hnswlib/hnswlib.h>
#include <immintrin.h>

#include "people/parallel_for.h"

namespace facetag::people {
namespace {

using Graph = hnswlib::HierarchicalNSW<int>;
using tableint = hnswlib::tableint;
using Candidates = std::priority_queue<std::pair<int, tableint>, std::vector<std::pair<int, tableint>>,
                                       Graph::CompareByFirst>;

// Squared distance of int8 vectors. hnswlib's space interface needs a plain function; the
// builder itself calls the kernel picked once for this CPU (below).
int Int8SquaredL2Portable(const int8_t* a, const int8_t* b, size_t dim) {
  int sum = 0;
  for (size_t i = 0; i < dim; ++i) {
    const int d = int{a[i]} - int{b[i]};
    sum += d * d;
  }
  return sum;
}

// AVX2: 16 coordinates a step, sign-extended to int16 straight from memory (the difference of
// two int8 needs 9 bits), squared and summed in pairs into int32 by vpmaddwd. Two accumulators
// so consecutive steps do not wait on each other. Fewer instructions than GCC's auto-vectorised
// loop, which widened through extra loads and lane extracts. Integer sums: the same result as
// the portable loop, bit for bit.
__attribute__((target("avx2"))) int Int8SquaredL2Avx2(const int8_t* a, const int8_t* b, size_t dim) {
  __m256i acc0 = _mm256_setzero_si256();
  __m256i acc1 = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= dim; i += 32) {
    const __m256i d0 =
        _mm256_sub_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i))),
                         _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i))));
    const __m256i d1 =
        _mm256_sub_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i + 16))),
                         _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i + 16))));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(d0, d0));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(d1, d1));
  }
  const __m256i acc = _mm256_add_epi32(acc0, acc1);
  __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(1, 0, 3, 2)));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(2, 3, 0, 1)));
  int total = _mm_cvtsi128_si32(sum);
  for (; i < dim; ++i) {
    const int d = int{a[i]} - int{b[i]};
    total += d * d;
  }
  return total;
}

// std::lround for |x| <= 127 (half away from zero), without its library call: truncation and
// the remainder are exact in float at this size. lroundf was ~3 G instructions at a million
// points (callgrind).
inline int RoundHalfAway(float x) {
  int t = static_cast<int>(x);
  const float rest = x - static_cast<float>(t);
  if (rest >= 0.5f) ++t;
  if (rest <= -0.5f) --t;
  return t;
}

using Int8Kernel = int (*)(const int8_t*, const int8_t*, size_t);

Int8Kernel PickInt8Kernel() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? &Int8SquaredL2Avx2 : &Int8SquaredL2Portable;
}

int Int8SquaredL2(const void* pa, const void* pb, const void* param) {
  return Int8SquaredL2Portable(static_cast<const int8_t*>(pa), static_cast<const int8_t*>(pb),
                               *static_cast<const size_t*>(param));
}

class Int8Space : public hnswlib::SpaceInterface<int> {
 public:
  explicit Int8Space(size_t dim) : dim_(dim) {}
  size_t get_data_size() override { return dim_; }
  hnswlib::DISTFUNC<int> get_dist_func() override { return &Int8SquaredL2; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  size_t dim_;
};

// Asks for transparent huge pages on a large, not yet touched block: the graph is read at
// random, and with 4 KiB pages nearly every read of a 1M-face graph also misses the TLB.
void AdviseHugePages(void* data, size_t bytes) {
  constexpr uintptr_t kHuge = 2u << 20;
  const auto begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// What the read-only search of one point found, per level (level 0 last).
struct Found {
  int level = 0;
  std::vector<std::vector<std::pair<int, tableint>>> per_level;  // index: level
};

class BatchBuilder {
 public:
  BatchBuilder(const float* points, size_t n, int dim, const HnswBuildOptions& o)
      : points_(points),
        n_(n),
        dim_(static_cast<size_t>(dim)),
        o_(o),
        space_(dim_),
        graph_(&space_, n, static_cast<size_t>(std::max(2, o.m)),
               static_cast<size_t>(std::max(8, o.ef_construction)), o.seed) {
    AdviseHugePages(graph_.data_level0_memory_, n * graph_.size_data_per_element_);
    dist0_.resize(n * graph_.maxM0_);
    Quantise();
  }

  std::vector<std::vector<Neighbor>> Run() {
    std::vector<std::vector<Neighbor>> out(n_);
    size_t begin = 0;
    while (begin < n_) {
      // Batches grow with the graph (a small graph would change too much within a batch).
      const size_t size = std::clamp<size_t>(begin / 16, 1, 128);
      const size_t end = std::min(n_, begin + size);
      InsertBatch(begin, end, out);
      begin = end;
    }
    return out;
  }

 private:
  void Quantise() {
    // One scale for every dimension, from the largest magnitude: a function of the points.
    float max_abs = 0;
    for (size_t i = 0; i < n_ * dim_; ++i) max_abs = std::max(max_abs, std::fabs(points_[i]));
    scale_ = max_abs > 0 ? 127.f / max_abs : 1.f;
    // Rows on cache-line boundaries: a 128-D row is then exactly two lines, not three.
    stride_ = (dim_ + kLine - 1) / kLine * kLine;
    q_.reset(static_cast<int8_t*>(std::aligned_alloc(kLine, n_ * stride_)));
    if (!q_) throw std::bad_alloc();
    AdviseHugePages(q_.get(), n_ * stride_);
    // On all threads in blocks of rows: a second at a million points on one.
    constexpr size_t kRows = 4096;
    ParallelFor((n_ + kRows - 1) / kRows, o_.threads, 1, [&](size_t block) {
      const size_t end = std::min(n_, (block + 1) * kRows);
      for (size_t row = block * kRows; row < end; ++row) {
        int8_t* q = q_.get() + row * stride_;
        for (size_t i = 0; i < dim_; ++i)
          q[i] = static_cast<int8_t>(RoundHalfAway(points_[row * dim_ + i] * scale_));
        std::fill(q + dim_, q + stride_, int8_t{0});
      }
    });
    // Rounding moves each coordinate by at most half a step: a pair within eps in floats is
    // within this in int8 units.
    const double slack = std::sqrt(static_cast<double>(dim_)) * 1.0;  // |a - b| grows by <= sqrt(dim) steps
    const double r = std::sqrt(static_cast<double>(o_.eps2)) * scale_ + slack;
    int8_eps2_ = static_cast<int>(std::ceil(r * r));
  }

  // The builder's own copy of the quantised rows, aligned, is what every distance reads: the
  // copy hnswlib keeps inside each element straddles three cache lines.
  const int8_t* Q(size_t i) const { return q_.get() + i * stride_; }
  int Dist8(size_t a, size_t b) const { return kernel_(Q(a), Q(b), dim_); }
  int Dist8(const int8_t* a, size_t b) const { return kernel_(a, Q(b), dim_); }
  void PrefetchRow(size_t i) const {
    for (size_t line = 0; line < stride_; line += kLine) __builtin_prefetch(Q(i) + line);
  }

  // Registers point i as an element (data, label, level) without linking it: no link leads to
  // it yet, so the searches of its own batch cannot see it.
  void Register(size_t i) {
    Graph& g = graph_;
    // Internal id = point index (points arrive in order), so hnswlib's label map, which only
    // its own addPoint and searchKnn consult, is left empty: 50 MB less at a million faces.
    const auto cur = static_cast<tableint>(g.cur_element_count++);
    const int level = g.getRandomLevel(g.mult_);
    g.element_levels_[cur] = level;
    std::memset(g.data_level0_memory_ + cur * g.size_data_per_element_ + g.offsetLevel0_, 0,
                g.size_data_per_element_);
    const hnswlib::labeltype label = i;
    std::memcpy(g.getExternalLabeLp(cur), &label, sizeof(label));
    // hnswlib's copy of the data is left zero: only its own search would read it.
    if (level) {
      g.linkLists_[cur] = static_cast<char*>(std::malloc(g.size_links_per_element_ * level + 1));
      if (!g.linkLists_[cur]) throw std::bad_alloc();
      std::memset(g.linkLists_[cur], 0, g.size_links_per_element_ * level + 1);
    }
  }

  // Read-only: greedy descent, then the ef_construction nearest at each level it will link on.
  Found Search(size_t i, tableint entry, int max_level) {
    Graph& g = graph_;
    Found f;
    f.level = g.element_levels_[i];
    f.per_level.resize(static_cast<size_t>(std::min(f.level, max_level) + 1));
    const int8_t* data = Q(i);
    tableint current = entry;
    int current_d = Dist8(data, current);
    for (int level = max_level; level > f.level; --level) {
      for (bool changed = true; changed;) {
        changed = false;
        const unsigned int* ll = g.get_linklist(current, level);
        const int size = g.getListCount(const_cast<unsigned int*>(ll));
        const tableint* links = reinterpret_cast<const tableint*>(ll + 1);
        for (int k = 0; k < size; ++k) {
          const int d = Dist8(data, links[k]);
          if (d < current_d || (d == current_d && links[k] < current)) {
            current_d = d;
            current = links[k];
            changed = true;
          }
        }
      }
    }
    for (int level = std::min(f.level, max_level); level >= 0; --level) {
      auto& list = f.per_level[static_cast<size_t>(level)];
      list = SearchLayer(current, data, level);
      if (!list.empty()) current = list.front().second;
    }
    return f;
  }

  // Best-first search of one level for the ef_construction nearest: hnswlib's searchBaseLayer
  // without its per-node locks, which this read-only phase does not need. Returns them sorted
  // nearest first (ties by id), so nothing downstream depends on heap order.
  std::vector<std::pair<int, tableint>> SearchLayer(tableint entry, const int8_t* data, int level) {
    Graph& g = graph_;
    const size_t ef = g.ef_construction_;
    hnswlib::VisitedList* visited = g.visited_list_pool_->getFreeVisitedList();
    hnswlib::vl_type* mark = visited->mass;
    const hnswlib::vl_type tag = visited->curV;
    // (distance, id) packed into one integer that orders as the pair does (distances are never
    // negative): the same heaps as of pairs, with single compares.
    using Key = uint64_t;
    const auto key = [](int d, tableint id) { return Key{static_cast<uint32_t>(d)} << 32 | id; };
    const auto distance = [](Key k) { return static_cast<int>(k >> 32); };
    std::vector<Key> top_storage, frontier_storage;
    top_storage.reserve(ef + 1);
    frontier_storage.reserve(4 * ef);
    std::priority_queue<Key> top(std::less<Key>(), std::move(top_storage));  // farthest on top
    std::priority_queue<Key, std::vector<Key>, std::greater<Key>> frontier(
        std::greater<Key>(),
        std::move(frontier_storage));  // nearest on top
    const int d0 = Dist8(data, entry);
    top.push(key(d0, entry));
    frontier.push(key(d0, entry));
    mark[entry] = tag;
    while (!frontier.empty()) {
      const Key nearest = frontier.top();
      if (distance(nearest) > distance(top.top()) && top.size() >= ef) break;
      frontier.pop();
      const auto node = static_cast<tableint>(nearest);
      // The next node to expand is most likely the frontier's new top: fetch its links now.
      // A level-0 list (count and up to maxM0 ids) straddles up to three cache lines.
      if (!frontier.empty() && level == 0) {
        const char* next_list =
            reinterpret_cast<const char*>(g.get_linklist0(static_cast<tableint>(frontier.top())));
        for (size_t line = 0; line < g.size_links_level0_; line += kLine)
          __builtin_prefetch(next_list + line);
      }
      const unsigned int* ll = level == 0 ? g.get_linklist0(node) : g.get_linklist(node, level);
      const int size = g.getListCount(const_cast<unsigned int*>(ll));
      const tableint* links = reinterpret_cast<const tableint*>(ll + 1);
      // Unvisited neighbours first, their vectors prefetched together so the cache misses
      // overlap, then their distances.
      tableint fresh[256];
      int count = 0;
      for (int k = 0; k < size && count < 256; ++k) {
        const tableint next = links[k];
        if (mark[next] == tag) continue;
        mark[next] = tag;
        PrefetchRow(next);
        fresh[count++] = next;
      }
      for (int k = 0; k < count; ++k) {
        const tableint next = fresh[k];
        const int dn = Dist8(data, next);
        if (top.size() < ef || dn < distance(top.top())) {
          frontier.push(key(dn, next));
          top.push(key(dn, next));
          if (top.size() > ef) top.pop();
        }
      }
    }
    g.visited_list_pool_->releaseVisitedList(visited);
    std::vector<std::pair<int, tableint>> out;
    out.reserve(top.size());
    while (!top.empty()) {
      out.push_back({distance(top.top()), static_cast<tableint>(top.top())});
      top.pop();
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void InsertBatch(size_t begin, size_t end, std::vector<std::vector<Neighbor>>& out) {
    Graph& g = graph_;
    for (size_t i = begin; i < end; ++i) Register(i);
    const bool empty = g.enterpoint_node_ == static_cast<tableint>(-1);
    const tableint entry = g.enterpoint_node_;
    const int max_level = g.maxlevel_;

    // The batch's points go in as if linked one by one in index order (as addPoint would, each to
    // what it found), but on all threads:
    //  1. in parallel: each point searches the graph as it stood before the batch, measures the
    //     batch's earlier points (int8, and exact for the close ones), picks its links (hnswlib's
    //     heuristic, a function of its candidates alone) and writes its own lists, which no
    //     search can reach yet (no link leads to them);
    //  2. in parallel: the back links, grouped by the list they go into, each list one task that
    //     applies them in index order.
    // Linking one by one on one thread was ~45% of the build's instructions (callgrind) and
    // held a million-point build to little more than one core.
    const std::vector<int> top = LinkLevels(begin, end);
    using Links = std::vector<std::vector<std::pair<int, tableint>>>;  // per level: (distance, id)
    std::vector<Links> selected(end - begin);
    ParallelFor(end - begin, o_.threads, 1, [&](size_t k) {
      const size_t i = begin + k;
      Found found;
      if (!empty)
        found = Search(i, entry, max_level);
      else
        found.level = g.element_levels_[i];
      std::vector<std::pair<int, tableint>> batch_near;
      batch_near.reserve(i - begin);
      for (size_t j = begin; j < i; ++j) batch_near.push_back({Dist8(i, j), static_cast<tableint>(j)});
      // Neighbours for grouping: among the level-0 candidates and the batch's earlier points,
      // the 2 x limit nearest in int8 that may be within eps get their exact distance.
      std::vector<std::pair<int, tableint>> pool;
      if (!found.per_level.empty()) pool = found.per_level[0];
      pool.insert(pool.end(), batch_near.begin(), batch_near.end());
      std::sort(pool.begin(), pool.end());
      std::vector<Neighbor> near;
      for (size_t c = 0; c < pool.size() && c < 2 * o_.limit; ++c) {
        const auto [d8, j] = pool[c];
        if (d8 > int8_eps2_) break;  // cannot be within eps even with rounding
        const float d2 =
            SquaredL2(points_ + i * dim_, points_ + static_cast<size_t>(j) * dim_, static_cast<int>(dim_));
        if (d2 <= o_.eps2) near.push_back({static_cast<uint32_t>(j), d2});
      }
      std::sort(near.begin(), near.end(), [](const Neighbor& a, const Neighbor& b) {
        return a.d2 < b.d2 || (a.d2 == b.d2 && a.index < b.index);
      });
      if (near.size() > o_.limit) near.resize(o_.limit);
      out[i] = std::move(near);
      selected[k] = LinkOwn(static_cast<tableint>(i), top[k], found, batch_near);
    });
    LinkBack(begin, selected);
  }

  // The level up to which each point of the batch links, as sequential insertion would see the
  // graph's top level (points of the batch may raise it); -1: the very first point, nothing to
  // link to. Moves the entry point as sequential insertion would.
  std::vector<int> LinkLevels(size_t begin, size_t end) {
    Graph& g = graph_;
    std::vector<int> top(end - begin);
    for (size_t i = begin; i < end; ++i) {
      const int level = g.element_levels_[i];
      const bool has_entry = g.enterpoint_node_ != static_cast<tableint>(-1);
      top[i - begin] = has_entry ? std::min(level, g.maxlevel_) : -1;
      if (!has_entry || level > g.maxlevel_) {
        g.enterpoint_node_ = static_cast<tableint>(i);
        g.maxlevel_ = level;
      }
    }
    return top;
  }

  // Point i's own links on levels top..0, chosen among what its search found and the batch's
  // earlier points, as mutuallyConnectNewElement would; writes them into i's lists. Returns
  // them per level with their distances to i.
  std::vector<std::vector<std::pair<int, tableint>>> LinkOwn(
      tableint i, int top, const Found& found, const std::vector<std::pair<int, tableint>>& batch_near) {
    Graph& g = graph_;
    std::vector<std::vector<std::pair<int, tableint>>> selected(static_cast<size_t>(top + 1));
    for (int l = top; l >= 0; --l) {
      Candidates candidates;
      if (static_cast<size_t>(l) < found.per_level.size()) {
        for (const auto& c : found.per_level[static_cast<size_t>(l)]) candidates.push(c);
      }
      for (const auto& [d8, j] : batch_near) {
        if (g.element_levels_[j] >= l) candidates.push({d8, j});
      }
      while (candidates.size() > g.ef_construction_) candidates.pop();
      if (candidates.empty()) continue;
      KeepDiverse(candidates, g.M_);
      auto& mine = selected[static_cast<size_t>(l)];
      while (!candidates.empty()) {
        mine.push_back(candidates.top());
        candidates.pop();
      }
      unsigned int* ll = LinkList(i, l);
      g.setListCount(ll, static_cast<unsigned short>(mine.size()));
      auto* links = reinterpret_cast<tableint*>(ll + 1);
      for (size_t k = 0; k < mine.size(); ++k) {
        links[k] = mine[k].second;
        if (l == 0) Level0Distances(i)[k] = mine[k].first;
      }
    }
    return selected;
  }

  // The back links from the batch's points to those they chose.
  void LinkBack(size_t begin,
                const std::vector<std::vector<std::vector<std::pair<int, tableint>>>>& selected) {
    // Ordered by list (level, target), and within a list by the linking point (the distance
    // never decides: a point links to a target once).
    struct BackLink {
      int level;
      tableint target, from;
      int d;
      auto operator<=>(const BackLink&) const = default;
    };
    std::vector<BackLink> back;
    for (size_t k = 0; k < selected.size(); ++k) {
      for (size_t l = 0; l < selected[k].size(); ++l) {
        for (const auto& [d, t] : selected[k][l])
          back.push_back({static_cast<int>(l), t, static_cast<tableint>(begin + k), d});
      }
    }
    std::sort(back.begin(), back.end());
    std::vector<size_t> list_start;
    for (size_t b = 0; b < back.size(); ++b) {
      if (b == 0 || back[b].level != back[b - 1].level || back[b].target != back[b - 1].target)
        list_start.push_back(b);
    }
    list_start.push_back(back.size());
    ParallelFor(list_start.size() - 1, o_.threads, 1, [&](size_t s) {
      for (size_t b = list_start[s]; b < list_start[s + 1]; ++b)
        AddBackLink(back[b].target, back[b].from, back[b].d, back[b].level);
    });
  }

  unsigned int* LinkList(tableint id, int level) const {
    return level == 0 ? graph_.get_linklist0(id) : graph_.get_linklist(id, level);
  }

  // Beside each level-0 list, the distances of its links to its owner, in the same slots: a
  // full list is re-pruned with them instead of fetching and measuring all its points again.
  int* Level0Distances(tableint id) { return dist0_.data() + static_cast<size_t>(id) * graph_.maxM0_; }

  // hnswlib's mutuallyConnectNewElement for one neighbour, without its lock (each list is one
  // task's): append `from` (at distance d) to target's list, or if full keep the heuristic's pick
  // of both.
  void AddBackLink(tableint target, tableint from, int d, int level) {
    Graph& g = graph_;
    const size_t max_links = level ? g.maxM_ : g.maxM0_;
    unsigned int* ll = LinkList(target, level);
    const size_t size = g.getListCount(ll);
    auto* data = reinterpret_cast<tableint*>(ll + 1);
    int* dist = level == 0 ? Level0Distances(target) : nullptr;
    if (size < max_links) {
      data[size] = from;
      if (dist) dist[size] = d;
      g.setListCount(ll, static_cast<unsigned short>(size + 1));
      return;
    }
    // The heuristic compares the list's points with one another: fetch them all before the
    // first is needed, so the cache misses overlap rather than follow one another.
    for (size_t j = 0; j < size; ++j) PrefetchRow(data[j]);
    Candidates candidates;
    candidates.emplace(d, from);
    for (size_t j = 0; j < size; ++j) candidates.emplace(dist ? dist[j] : Dist8(data[j], target), data[j]);
    KeepDiverse(candidates, max_links);
    size_t n = 0;
    while (!candidates.empty()) {
      if (dist) dist[n] = candidates.top().first;
      data[n++] = candidates.top().second;
      candidates.pop();
    }
    g.setListCount(ll, static_cast<unsigned short>(n));
  }

  // hnswlib's getNeighborsByHeuristic2, step for step (the same picks, left in the queue the
  // same way, so the same graph), on the aligned rows and this CPU's kernel: going nearest
  // first (ties: higher id first, as hnswlib's queue pops them), keep a candidate unless it is
  // nearer to one already kept than to the owner; stop at m.
  void KeepDiverse(Candidates& candidates, size_t m) const {
    if (candidates.size() < m) return;
    std::vector<std::pair<int, tableint>> order;
    order.reserve(candidates.size());
    while (!candidates.empty()) {
      order.push_back(candidates.top());
      candidates.pop();
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first < b.first || (a.first == b.first && a.second > b.second);
    });
    std::vector<std::pair<int, tableint>> kept;
    kept.reserve(m);
    for (const auto& c : order) {
      if (kept.size() >= m) break;
      bool diverse = true;
      for (const auto& k : kept) {
        if (Dist8(k.second, c.second) < c.first) {
          diverse = false;
          break;
        }
      }
      if (diverse) kept.push_back(c);
    }
    for (const auto& k : kept) candidates.push(k);
  }

  const float* points_;
  size_t n_;
  size_t dim_;
  HnswBuildOptions o_;
  Int8Space space_;
  Graph graph_;
  static constexpr size_t kLine = 64;
  struct Free {
    void operator()(int8_t* p) const { std::free(p); }
  };
  std::unique_ptr<int8_t, Free> q_;
  size_t stride_ = 0;
  Int8Kernel kernel_ = PickInt8Kernel();
  float scale_ = 1;
  int int8_eps2_ = 0;
  std::vector<int> dist0_;
};

}  // namespace

Result<std::vector<std::vector<Neighbor>>> EarlierNeighbors(const float* points, size_t n, int dim,
                                                            const HnswBuildOptions& options) {
  if (n == 0) return std::vector<std::vector<Neighbor>>();
  try {
    BatchBuilder builder(points, n, dim, options);
    return builder.Run();
  } catch (const std::exception& e) {
    return Internal(std::string("hnsw: ") + e.what());
  } catch (...) {
    return Internal("hnsw: unknown failure");
  }
}

}  // namespace facetag::people

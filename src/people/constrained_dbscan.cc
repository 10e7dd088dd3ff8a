#include "people/constrained_dbscan.h"

#include <algorithm>
#include <numeric>
#include <span>

namespace facetag::people {
namespace {

// Union-find whose roots carry what the constraints need: the photos in the group (sorted,
// materialised only once a group has two faces), its anchor and the persons rejected by any
// of its faces (sorted; nearly always empty).
class ConstrainedGroups {
 public:
  explicit ConstrainedGroups(const DbscanProblem& p)
      : parent_(p.n),
        size_(p.n, 1),
        counted_(p.n, 1),
        photos_(p.n),
        anchor_(p.anchor),
        rejected_(p.n),
        sums_(p.n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
    photo_ = &p.photo;
    points_ = p.points;
    dim_ = static_cast<size_t>(p.dim);
    const float limit = p.max_centroid_distance;
    max_centroid_d2_ = limit > 0 && points_ ? limit * limit : 0;
    if (max_centroid_d2_ > 0) {
      for (size_t i = 0; i < p.n; ++i) {
        if (i < p.in_centroid.size() && !p.in_centroid[i]) {
          counted_[i] = 0;
          sums_[i].assign(dim_, 0.f);  // an explicit zero sum: the point is not in its mean
        }
      }
    }
    for (const auto& [point, person] : p.rejections) rejected_[point].push_back(person);
    for (auto& r : rejected_) {
      std::sort(r.begin(), r.end());
      r.erase(std::unique(r.begin(), r.end()), r.end());
    }
  }

  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // path halving
      x = parent_[x];
    }
    return x;
  }

  uint32_t size(uint32_t root) const { return size_[root]; }
  int64_t anchor(uint32_t root) const { return anchor_[root]; }

  // Whether the groups of roots a and b may become one (anchors, rejections, photos).
  bool CanJoin(uint32_t a, uint32_t b) const {
    const int64_t x = anchor_[a], y = anchor_[b];
    if (x && y && x != y) return false;
    const int64_t anchor = x ? x : y;
    if (anchor && (Contains(rejected_[a], anchor) || Contains(rejected_[b], anchor))) return false;
    return PhotosDisjoint(a, b);
  }

  // Whether the groups' centroids are close enough (always, without a limit).
  bool CentroidsClose(uint32_t a, uint32_t b) const {
    if (max_centroid_d2_ <= 0 || counted_[a] == 0 || counted_[b] == 0) return true;
    const float* sa = Sum(a);
    const float* sb = Sum(b);
    const float ia = 1.f / static_cast<float>(counted_[a]), ib = 1.f / static_cast<float>(counted_[b]);
    float d2 = 0;
    for (size_t k = 0; k < dim_; ++k) {
      const float d = sa[k] * ia - sb[k] * ib;
      d2 += d * d;
    }
    return d2 <= max_centroid_d2_;
  }

  // Joins without checking (anchored groups are joined by the user's word, not by distance).
  uint32_t Join(uint32_t a, uint32_t b) {
    if (size_[a] < size_[b]) std::swap(a, b);  // a: the larger, stays root
    Materialise(a);
    Materialise(b);
    auto& pa = photos_[a];
    const size_t middle = pa.size();
    pa.insert(pa.end(), photos_[b].begin(), photos_[b].end());
    std::inplace_merge(pa.begin(), pa.begin() + static_cast<std::ptrdiff_t>(middle), pa.end());
    std::vector<int64_t>().swap(photos_[b]);
    if (!rejected_[b].empty()) {
      auto& ra = rejected_[a];
      ra.insert(ra.end(), rejected_[b].begin(), rejected_[b].end());
      std::sort(ra.begin(), ra.end());
      ra.erase(std::unique(ra.begin(), ra.end()), ra.end());
      std::vector<int64_t>().swap(rejected_[b]);
    }
    if (!anchor_[a]) anchor_[a] = anchor_[b];
    if (max_centroid_d2_ > 0) {
      // Sums are kept only for groups of two or more; a singleton's sum is its point.
      if (sums_[a].empty()) sums_[a].assign(points_ + a * dim_, points_ + (a + 1) * dim_);
      const float* sb = Sum(b);
      for (size_t k = 0; k < dim_; ++k) sums_[a][k] += sb[k];
      std::vector<float>().swap(sums_[b]);
      counted_[a] += counted_[b];
    }
    parent_[b] = a;
    size_[a] += size_[b];
    return a;
  }

 private:
  static bool Contains(const std::vector<int64_t>& sorted, int64_t v) {
    return std::binary_search(sorted.begin(), sorted.end(), v);
  }

  void Materialise(uint32_t root) {
    if (photos_[root].empty()) photos_[root].push_back((*photo_)[root]);
  }

  // Sums are stored once a group has two points (or a point outside its mean); before, the
  // sum is the point itself.
  const float* Sum(uint32_t root) const {
    return sums_[root].empty() ? points_ + root * dim_ : sums_[root].data();
  }

  // A singleton's photo set is its own photo, not stored.
  std::span<const int64_t> PhotosOf(uint32_t root) const {
    if (photos_[root].empty()) return {&(*photo_)[root], 1};
    return photos_[root];
  }

  bool PhotosDisjoint(uint32_t a, uint32_t b) const {
    auto pa = PhotosOf(a), pb = PhotosOf(b);
    if (pa.size() > pb.size()) std::swap(pa, pb);
    for (int64_t photo : pa) {
      if (std::binary_search(pb.begin(), pb.end(), photo)) return false;
    }
    return true;
  }

  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  std::vector<uint32_t> counted_;  // points in the group's mean
  std::vector<std::vector<int64_t>> photos_;
  std::vector<int64_t> anchor_;
  std::vector<std::vector<int64_t>> rejected_;
  std::vector<std::vector<float>> sums_;
  const std::vector<int64_t>* photo_ = nullptr;
  const float* points_ = nullptr;
  size_t dim_ = 0;
  float max_centroid_d2_ = 0;
};

struct Link {
  float d2;
  uint32_t a, b;  // a < b
  bool operator<(const Link& o) const {
    if (d2 != o.d2) return d2 < o.d2;
    if (a != o.a) return a < o.a;
    return b < o.b;
  }
  bool operator==(const Link& o) const { return a == o.a && b == o.b; }
};

}  // namespace

DbscanResult RunConstrainedDbscan(const DbscanProblem& p) {
  const NeighborLists& nb = *p.neighbors;
  const size_t need = static_cast<size_t>(std::max(1, p.min_points)) - 1;  // neighbours to be core

  // Anchored points are core whatever their neighbourhood: the user vouched for them.
  std::vector<uint8_t> core(p.n, 0);
  for (size_t i = 0; i < p.n; ++i) core[i] = p.anchor[i] != 0;
  for (size_t q = 0; q < p.queries.size(); ++q) {
    core[p.queries[q]] = nb.offsets[q + 1] - nb.offsets[q] >= need;
  }

  ConstrainedGroups groups(p);
  DbscanResult result;

  // 1. Anchors: every point of one person starts as one group, in index order.
  {
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < p.n; ++i) {
      if (p.anchor[i]) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t x, uint32_t y) { return p.anchor[x] < p.anchor[y]; });
    for (size_t k = 1; k < order.size(); ++k) {
      if (p.anchor[order[k]] != p.anchor[order[k - 1]]) continue;
      const uint32_t ra = groups.Find(order[k - 1]), rb = groups.Find(order[k]);
      if (ra != rb) groups.Join(ra, rb);
    }
  }

  // 2. Core-core links, closest first. Each link may have been found from both ends.
  std::vector<Link> links;
  links.reserve(nb.items.size());
  for (size_t q = 0; q < p.queries.size(); ++q) {
    const uint32_t i = p.queries[q];
    if (!core[i]) continue;
    for (uint64_t k = nb.offsets[q]; k < nb.offsets[q + 1]; ++k) {
      const uint32_t j = nb.items[k].index;
      if (!core[j]) continue;
      links.push_back({nb.items[k].d2, std::min(i, j), std::max(i, j)});
    }
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  result.links = static_cast<int64_t>(links.size());
  for (const Link& l : links) {
    const uint32_t ra = groups.Find(l.a), rb = groups.Find(l.b);
    if (ra == rb) continue;
    if (!groups.CanJoin(ra, rb)) {
      ++result.refused_links;
    } else if (!groups.CentroidsClose(ra, rb)) {
      ++result.refused_by_centroid;
    } else {
      groups.Join(ra, rb);
    }
  }
  std::vector<Link>().swap(links);

  // 3. Border points (free, not core) join the nearest core neighbour's group that takes them.
  for (size_t q = 0; q < p.queries.size(); ++q) {
    const uint32_t i = p.queries[q];
    if (core[i]) continue;
    for (uint64_t k = nb.offsets[q]; k < nb.offsets[q + 1]; ++k) {
      const uint32_t j = nb.items[k].index;
      if (!core[j]) continue;
      const uint32_t ri = groups.Find(i), rj = groups.Find(j);
      if (ri != rj && groups.CanJoin(ri, rj) && groups.CentroidsClose(ri, rj)) {
        groups.Join(ri, rj);
        break;
      }
    }
  }

  // 4. Number groups in order of their first point; free groups below min_points are noise.
  result.group.assign(p.n, -1);
  std::vector<int32_t> number(p.n, -1);
  const uint32_t min_size = static_cast<uint32_t>(std::max(1, p.min_points));
  for (uint32_t i = 0; i < p.n; ++i) {
    const uint32_t r = groups.Find(i);
    if (!groups.anchor(r) && groups.size(r) < min_size) continue;
    if (number[r] < 0) {
      number[r] = static_cast<int32_t>(result.anchor_of.size());
      result.anchor_of.push_back(groups.anchor(r));
    }
    result.group[i] = number[r];
  }
  return result;
}

}  // namespace facetag::people

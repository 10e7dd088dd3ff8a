// GroupFaces: the whole grouping on in-memory data (see people.h for the algorithm).
#include <algorithm>
#include <chrono>
#include <new>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "facetag/people.h"
#include "people/constrained_dbscan.h"
#include "people/identity.h"
#include "people/neighbor_search.h"

namespace facetag {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Status Validate(const GroupingInput& in, const GroupingOptions& o) {
  if (!(o.eps > 0)) return InvalidArgument("eps must be positive");
  if (o.min_points < 1) return InvalidArgument("min_points must be at least 1");
  if (in.faces.empty()) return Status::Ok();
  if (in.dim <= 0) return InvalidArgument("embedding dimension must be positive");
  if (in.embeddings.size() != in.faces.size() * static_cast<size_t>(in.dim)) {
    return InvalidArgument("embeddings hold " + std::to_string(in.embeddings.size()) + " floats for " +
                           std::to_string(in.faces.size()) + " faces of dimension " + std::to_string(in.dim));
  }
  return Status::Ok();
}

Result<GroupingOutput> GroupFacesUnguarded(const GroupingInput& in, GroupingMode mode,
                                           const GroupingOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  FACETAG_RETURN_IF_ERROR(Validate(in, o));
  const size_t n_in = in.faces.size();
  GroupingOutput out;
  out.person.assign(n_in, 0);
  out.stats.faces = static_cast<int64_t>(n_in);

  // A stable order: by photo content and detection ordinal, not by id (ids follow arrival).
  std::vector<uint32_t> order(n_in);
  std::iota(order.begin(), order.end(), 0u);
  // photo_id only stands in when there is no content key (inputs built without a catalog).
  auto key = [&](uint32_t f) {
    const auto& x = in.faces[f];
    return std::make_tuple(x.photo_key, x.photo_key == 0 ? x.photo_id : 0, x.ordinal, x.face_id);
  };
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });

  std::unordered_set<int64_t> existing, pinned;
  for (const auto& p : in.persons) {
    existing.insert(p.id);
    if (p.pinned) pinned.insert(p.id);
  }

  // Roles. Points are the faces taking part, in stable order.
  people::DbscanProblem problem;
  std::vector<uint32_t> face_of_point;
  std::vector<int64_t> previous;
  face_of_point.reserve(n_in);
  for (uint32_t f : order) {
    const auto& face = in.faces[f];
    const bool has_person = face.person_id != 0 && existing.count(face.person_id);
    int64_t anchor = 0;
    if (face.assignment == Assignment::kUser) {
      if (!has_person) continue;  // the user took it out of every person: leave it out
      anchor = face.person_id;
    } else if (has_person && (mode == GroupingMode::kIncremental || pinned.count(face.person_id))) {
      anchor = face.person_id;
    }
    face_of_point.push_back(f);
    problem.in_centroid.push_back(face.assignment == Assignment::kAuto ? 1 : 0);
    problem.photo.push_back(face.photo_id);
    problem.anchor.push_back(anchor);
    previous.push_back(anchor == 0 && has_person ? face.person_id : 0);
  }
  const size_t n = face_of_point.size();
  problem.n = n;
  problem.min_points = o.min_points;
  for (uint32_t i = 0; i < n; ++i) {
    if (!problem.anchor[i]) problem.queries.push_back(i);
  }
  out.stats.free_faces = static_cast<int64_t>(problem.queries.size());

  if (!in.rejections.empty()) {
    std::unordered_map<int64_t, uint32_t> point_of_face;
    for (uint32_t i = 0; i < n; ++i) point_of_face[in.faces[face_of_point[i]].face_id] = i;
    for (const auto& r : in.rejections) {
      auto it = point_of_face.find(r.face_id);
      if (it != point_of_face.end()) problem.rejections.emplace_back(it->second, r.person_id);
    }
    std::sort(problem.rejections.begin(), problem.rejections.end());
  }

  // Neighbours, on the points' embeddings in stable order.
  const auto t_search = std::chrono::steady_clock::now();
  people::NeighborLists neighbors;
  std::vector<float> points_keep;  // the points, in stable order, for the grouping
  {
    const size_t dim = static_cast<size_t>(std::max(in.dim, 0));
    std::vector<float> points(n * dim);
    for (size_t i = 0; i < n; ++i) {
      std::copy_n(in.embeddings.begin() + static_cast<std::ptrdiff_t>(face_of_point[i] * dim), dim,
                  points.begin() + static_cast<std::ptrdiff_t>(i * dim));
    }
    auto found = people::FindNeighbors(points.data(), n, in.dim, problem.queries, o);
    FACETAG_RETURN_IF_ERROR(found.status());
    neighbors = std::move(*found);
    problem.points = points.data();
    problem.dim = in.dim;
    problem.max_centroid_distance = o.max_centroid_distance;
    points_keep = std::move(points);
  }
  out.stats.search = neighbors.method;
  out.stats.index_s = neighbors.index_s;
  out.stats.neighbors_s = SecondsSince(t_search);

  const auto t_group = std::chrono::steady_clock::now();
  problem.neighbors = &neighbors;
  people::DbscanResult groups = people::RunConstrainedDbscan(problem);
  neighbors = {};
  out.stats.links = groups.links;
  out.stats.refused_links = groups.refused_links;
  out.stats.refused_by_centroid = groups.refused_by_centroid;

  people::IdentityProblem identity;
  identity.group = &groups.group;
  identity.anchor_of = &groups.anchor_of;
  identity.previous = std::move(previous);
  identity.rejections = &problem.rejections;
  const people::Identities ids = people::AssignIdentities(identity);
  out.new_persons = ids.new_persons;
  out.stats.new_people = ids.new_persons;
  out.stats.people = static_cast<int64_t>(ids.person_of_group.size());

  // Faces left out keep their (user-decided) state; the rest take their group's person.
  for (size_t f = 0; f < n_in; ++f) {
    if (in.faces[f].assignment == Assignment::kUser) out.person[f] = in.faces[f].person_id;
  }
  for (size_t i = 0; i < n; ++i) {
    const int32_t g = groups.group[i];
    out.person[face_of_point[i]] = g < 0 ? 0 : ids.person_of_group[static_cast<size_t>(g)];
    if (g < 0) ++out.stats.noise;
  }
  out.stats.grouping_s = SecondsSince(t_group);
  out.stats.total_s = SecondsSince(t0);
  return out;
}

}  // namespace

Result<GroupingOutput> GroupFaces(const GroupingInput& in, GroupingMode mode, const GroupingOptions& o) {
  try {
    return GroupFacesUnguarded(in, mode, o);
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory to cluster " + std::to_string(in.faces.size()) + " faces");
  }
}

}  // namespace facetag

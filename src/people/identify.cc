// IdentifyFaces: naming the faces of a photo that is not in the catalog (facetag whois).
#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "facetag/people.h"
#include "people/neighbor_search.h"

namespace facetag {

namespace {

Result<std::vector<Identification>> IdentifyUnguarded(Catalog& catalog,
                                                      const std::vector<Embedding>& embeddings,
                                                      const IdentifyOptions& options) {
  std::vector<PersonRecord> persons;
  std::unordered_set<int64_t> eligible;
  std::vector<int64_t> face_ids, face_person;
  std::vector<float> known;
  int dim = embeddings.empty() ? 0 : static_cast<int>(embeddings[0].size());
  for (const auto& e : embeddings) {
    if (static_cast<int>(e.size()) != dim || dim == 0)
      return InvalidArgument("embeddings of different sizes");
  }
  auto read = catalog.ForEachClusterFace(
      [&](const ClusterFaceRow& row, std::span<const float> embedding) {
        if (row.person_id == 0 || static_cast<int>(embedding.size()) != dim) return;
        face_ids.push_back(row.face_id);
        face_person.push_back(row.person_id);
        known.insert(known.end(), embedding.begin(), embedding.end());
      },
      nullptr, &persons);
  FACETAG_RETURN_IF_ERROR(read.status());
  for (const auto& p : persons) {
    if (!p.hidden && (!options.named_only || !p.name.empty())) eligible.insert(p.id);
  }

  // Per query, the nearest face of each eligible person.
  struct Best {
    float d2 = std::numeric_limits<float>::infinity();
    int64_t face = 0;
  };
  std::vector<std::unordered_map<int64_t, Best>> per_query(embeddings.size());
  for (size_t q = 0; q < embeddings.size(); ++q) {
    for (size_t k = 0; k < face_ids.size(); ++k) {
      if (!eligible.count(face_person[k])) continue;
      const float d2 =
          people::SquaredL2(embeddings[q].data(), known.data() + k * static_cast<size_t>(dim), dim);
      Best& b = per_query[q][face_person[k]];
      if (d2 < b.d2 || (d2 == b.d2 && face_ids[k] < b.face)) b = {d2, face_ids[k]};
    }
  }

  // Candidates that pass the distance and margin tests, matched closest first so that two faces
  // of the photo never get the same person.
  std::vector<std::tuple<float, size_t, int64_t, int64_t>> candidates;  // (d, query, person, face)
  for (size_t q = 0; q < embeddings.size(); ++q) {
    std::vector<std::pair<float, int64_t>> ranked;
    for (const auto& [person, b] : per_query[q]) ranked.emplace_back(std::sqrt(b.d2), person);
    std::sort(ranked.begin(), ranked.end());
    for (size_t r = 0; r < ranked.size(); ++r) {
      const auto [d, person] = ranked[r];
      if (d > options.max_distance) break;
      // The margin is against the runner-up of the same query, whoever ends up taking it.
      const float next = r + 1 < ranked.size() ? ranked[r + 1].first : std::numeric_limits<float>::infinity();
      if (r == 0 && next - d < options.margin) break;
      candidates.emplace_back(d, q, person, per_query[q].at(person).face);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  std::vector<Identification> out(embeddings.size());
  std::unordered_set<int64_t> used;
  for (const auto& [d, q, person, face] : candidates) {
    if (out[q].person_id != 0 || used.count(person)) continue;
    out[q] = {person, d, face};
    used.insert(person);
  }
  return out;
}

}  // namespace

Result<std::vector<Identification>> IdentifyFaces(Catalog& catalog, const std::vector<Embedding>& embeddings,
                                                  const IdentifyOptions& options) {
  try {
    return IdentifyUnguarded(catalog, embeddings, options);
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory to compare with the catalog's faces");
  }
}

}  // namespace facetag

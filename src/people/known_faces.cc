#include "facetag/known_faces.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <tuple>
#include <unordered_set>

#include "facetag/grouping_io.h"
#include "people/neighbor_search.h"

namespace facetag {

Result<std::shared_ptr<const KnownFaceIndex>> KnownFaceIndex::Load(Catalog& catalog,
                                                                   const IdentifyOptions& options) {
  try {
    auto index = std::make_shared<KnownFaceIndex>();
    index->options_ = options;
    std::vector<PersonRecord> persons;
    auto read = ForEachGroupingFace(
        catalog,
        [&](const GroupingFaceRow& row, std::span<const float> embedding) {
          if (row.person_id == 0) return;
          if (index->dim_ == 0) index->dim_ = static_cast<int>(embedding.size());
          if (static_cast<int>(embedding.size()) != index->dim_) return;
          index->vectors_.insert(index->vectors_.end(), embedding.begin(), embedding.end());
          index->face_of_.push_back(row.face_id);
          index->person_of_.push_back(row.person_id);
        },
        nullptr, &persons);
    FACETAG_RETURN_IF_ERROR(read.status());
    for (const auto& p : persons) {
      if (!p.hidden && (!options.named_only || !p.name.empty())) index->names_[p.id] = p.name;
    }
    return std::shared_ptr<const KnownFaceIndex>(std::move(index));
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory to hold the catalog's faces");
  }
}

std::vector<Identification> KnownFaceIndex::Identify(const std::vector<Embedding>& embeddings) const {
  struct Best {
    float d2 = std::numeric_limits<float>::infinity();
    int64_t face = 0;
  };
  std::vector<Identification> out(embeddings.size());
  // (distance, query, person, face): every person within reach of each query, closest first.
  std::vector<std::tuple<float, size_t, int64_t, int64_t>> candidates;
  for (size_t q = 0; q < embeddings.size(); ++q) {
    if (static_cast<int>(embeddings[q].size()) != dim_) continue;
    // The nearest face of each eligible person; of equally near faces, the lower id, so that
    // the answer does not depend on the order the catalog returned them in.
    std::unordered_map<int64_t, Best> best;
    for (size_t k = 0; k < person_of_.size(); ++k) {
      if (!names_.count(person_of_[k])) continue;
      const float d2 =
          people::SquaredL2(embeddings[q].data(), vectors_.data() + k * static_cast<size_t>(dim_), dim_);
      Best& b = best[person_of_[k]];
      if (d2 < b.d2 || (d2 == b.d2 && face_of_[k] < b.face)) b = {d2, face_of_[k]};
    }
    std::vector<std::pair<float, int64_t>> ranked;
    for (const auto& [person, b] : best) ranked.emplace_back(std::sqrt(b.d2), person);
    std::sort(ranked.begin(), ranked.end());
    if (!ranked.empty()) out[q].nearest = ranked.front().first;
    for (size_t r = 0; r < ranked.size(); ++r) {
      const auto [d, person] = ranked[r];
      if (d > options_.max_distance) break;
      // The margin is against the runner-up of the same query, whoever ends up taking it.
      const float next = r + 1 < ranked.size() ? ranked[r + 1].first : std::numeric_limits<float>::infinity();
      if (r == 0 && next - d < options_.margin) break;
      candidates.emplace_back(d, q, person, best.at(person).face);
    }
  }
  // Closest pairs first, so that two faces of the photo never get the same person.
  std::sort(candidates.begin(), candidates.end());
  std::unordered_set<int64_t> used;
  for (const auto& [d, q, person, face] : candidates) {
    if (out[q].person_id != 0 || used.count(person)) continue;
    out[q].person_id = person;
    out[q].name = names_.at(person);
    out[q].distance = d;
    out[q].nearest_face_id = face;
    used.insert(person);
  }
  return out;
}

Result<std::vector<Identification>> IdentifyFaces(Catalog& catalog, const std::vector<Embedding>& embeddings,
                                                  const IdentifyOptions& options) {
  for (const auto& e : embeddings) {
    if (e.empty() || e.size() != embeddings.front().size())
      return InvalidArgument("embeddings of different sizes");
  }
  auto index = KnownFaceIndex::Load(catalog, options);
  FACETAG_RETURN_IF_ERROR(index.status());
  try {
    return (*index)->Identify(embeddings);
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory to compare with the catalog's faces");
  }
}

void KnownFaces::Poll() {
  std::lock_guard lock(mu_);
  auto version = CorrectionsVersion(*catalog_);
  auto counts = catalog_->GetCounts();
  if (!version.ok() || !counts.ok()) return;
  const std::string signature = std::to_string(*version) + "/" + std::to_string(counts->faces) + "/" +
                                std::to_string(counts->assigned_faces) + "/" + std::to_string(counts->people);
  if (signature != signature_) {
    signature_ = signature;
    stale_ = true;
  }
}

Result<std::shared_ptr<const KnownFaceIndex>> KnownFaces::Current() {
  std::lock_guard lock(mu_);
  if (!stale_.exchange(false) && index_) return index_;
  auto loaded = KnownFaceIndex::Load(*catalog_, options_);
  if (!loaded.ok()) {
    stale_ = true;
    return loaded.status();
  }
  index_ = *loaded;
  return index_;
}

Result<std::vector<Identification>> KnownFaces::Identify(const std::vector<Embedding>& embeddings) {
  auto current = Current();
  FACETAG_RETURN_IF_ERROR(current.status());
  return (*current)->Identify(embeddings);
}

}  // namespace facetag

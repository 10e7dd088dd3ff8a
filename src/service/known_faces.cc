#include "service/known_faces.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <unordered_set>

namespace facetag::service {

void KnownFaces::Poll() {
  std::lock_guard lock(mu_);
  auto version = catalog_->CorrectionsVersion();
  auto counts = catalog_->GetCounts();
  if (!version.ok() || !counts.ok()) return;
  const std::string signature = std::to_string(*version) + "/" + std::to_string(counts->faces) + "/" +
                                std::to_string(counts->assigned_faces) + "/" + std::to_string(counts->people);
  if (signature != signature_) {
    signature_ = signature;
    stale_ = true;
  }
}

Result<std::shared_ptr<const KnownFaces::Snapshot>> KnownFaces::Current() {
  std::lock_guard lock(mu_);
  if (!stale_.exchange(false) && snapshot_) return snapshot_;
  auto snap = std::make_shared<Snapshot>();
  std::vector<PersonRecord> persons;
  auto read = catalog_->ForEachClusterFace(
      [&](const ClusterFaceRow& row, std::span<const float> embedding) {
        if (row.person_id == 0) return;
        if (snap->dim == 0) snap->dim = static_cast<int>(embedding.size());
        if (static_cast<int>(embedding.size()) != snap->dim) return;
        snap->vectors.insert(snap->vectors.end(), embedding.begin(), embedding.end());
        snap->person_of.push_back(row.person_id);
      },
      nullptr, &persons);
  if (!read.ok()) {
    stale_ = true;
    return read.status();
  }
  for (const auto& p : persons) {
    if (!p.hidden && (!options_.named_only || !p.name.empty())) snap->names[p.id] = p.name;
  }
  snapshot_ = snap;
  return snapshot_;
}

Result<std::vector<Named>> KnownFaces::Identify(const std::vector<Embedding>& embeddings) {
  auto current = Current();
  FACETAG_RETURN_IF_ERROR(current.status());
  const Snapshot& snap = **current;
  std::vector<Named> out(embeddings.size());
  // (distance, query, person): every person within reach of each query, closest first.
  std::vector<std::tuple<float, size_t, int64_t>> candidates;
  for (size_t q = 0; q < embeddings.size(); ++q) {
    if (static_cast<int>(embeddings[q].size()) != snap.dim) continue;
    std::unordered_map<int64_t, float> best;
    for (size_t k = 0; k < snap.person_of.size(); ++k) {
      const int64_t person = snap.person_of[k];
      if (!snap.names.count(person)) continue;
      const float* v = snap.vectors.data() + k * snap.dim;
      float d2 = 0;
      for (int i = 0; i < snap.dim; ++i) {
        const float d = embeddings[q][i] - v[i];
        d2 += d * d;
      }
      auto [it, inserted] = best.emplace(person, d2);
      if (!inserted) it->second = std::min(it->second, d2);
    }
    std::vector<std::pair<float, int64_t>> ranked;
    for (const auto& [person, d2] : best) ranked.emplace_back(std::sqrt(d2), person);
    std::sort(ranked.begin(), ranked.end());
    if (!ranked.empty()) out[q].nearest = ranked.front().first;
    for (size_t r = 0; r < ranked.size(); ++r) {
      if (ranked[r].first > options_.max_distance) break;
      const float next = r + 1 < ranked.size() ? ranked[r + 1].first : std::numeric_limits<float>::infinity();
      if (r == 0 && next - ranked[r].first < options_.margin) break;
      candidates.emplace_back(ranked[r].first, q, ranked[r].second);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  std::unordered_set<int64_t> used;
  for (const auto& [d, q, person] : candidates) {
    if (out[q].person_id != 0 || used.count(person)) continue;
    out[q].person_id = person;
    out[q].name = snap.names.at(person);
    out[q].distance = d;
    used.insert(person);
  }
  return out;
}

}  // namespace facetag::service

#include "people/identity.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

namespace facetag::people {

Identities AssignIdentities(const IdentityProblem& p) {
  const auto& group = *p.group;
  const auto& anchor_of = *p.anchor_of;
  const size_t groups = anchor_of.size();
  Identities out;
  out.person_of_group.assign(groups, 0);

  std::unordered_set<int64_t> taken;
  for (size_t g = 0; g < groups; ++g) {
    if (anchor_of[g]) {
      out.person_of_group[g] = anchor_of[g];
      taken.insert(anchor_of[g]);
    }
  }

  // Overlap of each free group with each person its faces were on.
  std::map<std::pair<int32_t, int64_t>, int64_t> overlap;
  for (size_t i = 0; i < group.size(); ++i) {
    const int32_t g = group[i];
    if (g < 0 || anchor_of[static_cast<size_t>(g)] || !p.previous[i]) continue;
    ++overlap[{g, p.previous[i]}];
  }
  std::set<std::pair<int32_t, int64_t>> forbidden;
  if (p.rejections) {
    for (const auto& [point, person] : *p.rejections) {
      if (point < group.size() && group[point] >= 0) forbidden.insert({group[point], person});
    }
  }
  // Largest overlap first; ties: earlier group, then lower person id. Each person goes to at
  // most one group, so a split person keeps its id on its larger part.
  std::vector<std::tuple<int64_t, int32_t, int64_t>> candidates;  // (-count, group, person)
  for (const auto& [key, count] : overlap) candidates.emplace_back(-count, key.first, key.second);
  std::sort(candidates.begin(), candidates.end());
  for (const auto& [neg_count, g, person] : candidates) {
    auto& slot = out.person_of_group[static_cast<size_t>(g)];
    if (slot != 0 || taken.count(person) || forbidden.count({g, person})) continue;
    slot = person;
    taken.insert(person);
  }
  for (auto& slot : out.person_of_group) {
    if (slot == 0) slot = -(++out.new_persons);
  }
  return out;
}

}  // namespace facetag::people

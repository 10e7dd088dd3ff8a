// Which person each group of a grouping is: anchored groups are their anchor; other groups
// take over the person most of their faces were on before, so ids and names stay on the same
// faces from one grouping to the next; the rest become new persons.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace facetag::people {

struct IdentityProblem {
  const std::vector<int32_t>* group = nullptr;      // per point, -1 for noise
  const std::vector<int64_t>* anchor_of = nullptr;  // per group, 0 when free
  std::vector<int64_t> previous;                    // per point: its person before, 0 for none
  // (point, person), sorted: a group holding that point never takes that person.
  const std::vector<std::pair<uint32_t, int64_t>>* rejections = nullptr;
};

struct Identities {
  std::vector<int64_t> person_of_group;  // > 0 existing, < 0 new (-1, -2, ... in group order)
  int new_persons = 0;
};

Identities AssignIdentities(const IdentityProblem& problem);

}  // namespace facetag::people

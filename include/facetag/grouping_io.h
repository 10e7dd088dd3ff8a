// Grouping's I/O: what grouping (facetag/people.h, GroupCatalog) reads from the catalog, one
// consistent snapshot of every face, and the plan it writes back, in one transaction. A plan made
// from a snapshot the user has corrected since is refused, so grouping never overwrites a
// correction.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/catalog_records.h"
#include "facetag/status.h"

namespace facetag {

// What grouping reads about one face (its embedding is passed alongside).
struct GroupingFaceRow {
  int64_t face_id = 0;
  int64_t photo_id = 0;
  // Stable across catalogs: the first 64 bits of the photo's content hash and the face's
  // ordinal, so a re-group does not depend on the order photos arrived in (face ids do).
  uint64_t photo_key = 0;
  int ordinal = 0;
  int64_t person_id = 0;
  Assignment assignment = Assignment::kAuto;
};

struct FaceRejection {
  int64_t face_id = 0;
  int64_t person_id = 0;
};

// Grouping's result, written in one transaction. Only faces with an `auto` assignment are
// changed; persons referred to by negative numbers -1..-new_persons are created.
struct AssignmentPlan {
  // From CorrectionsVersion() when the input was read: if the user corrected something
  // meanwhile, the plan is refused (ApplyAssignments returns false) and grouping re-runs.
  int64_t corrections_version = 0;
  int new_persons = 0;
  struct Change {
    int64_t face_id = 0;
    int64_t person = 0;  // > 0 an existing person, < 0 a new one, 0 nobody
  };
  std::vector<Change> changes;
};

// Calls `visit` for every face, in face id order, inside one read snapshot. Returns the
// corrections version of that snapshot (see AssignmentPlan).
Result<int64_t> ForEachGroupingFace(
    Catalog& catalog,
    const std::function<void(const GroupingFaceRow&, std::span<const float> embedding)>& visit,
    std::vector<FaceRejection>* rejections, std::vector<PersonRecord>* persons);
Result<int64_t> CorrectionsVersion(Catalog& catalog);
// false (nothing written): the plan is stale, because the user corrected something or a
// person it refers to went away since the input was read; read and cluster again.
Result<bool> ApplyAssignments(Catalog& catalog, const AssignmentPlan& plan);

}  // namespace facetag

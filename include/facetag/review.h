// Naming a library: the review queue ("Who is this?"), merge suggestions ("Is this the same
// person?") and the answers a user gives to them. The CLI (`facetag review`) and the HTTP API
// (/api/v1/review) are thin shells over these calls. Every answer is one catalog correction, so
// Catalog::UndoLastCorrection takes it back.
//
// Distances are Euclidean between mean descriptors (a lone face is its own mean), on the same
// scale as GroupingOptions::eps: what the user sees next to a suggestion is what decided it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/known_faces.h"
#include "facetag/status.h"

namespace facetag {

struct ReviewOptions {
  // A named person is suggested for an item (or two people for a merge) up to this distance:
  // the distance that names a face (known_faces.h), without its margin, since a person checks
  // every suggestion and sees the runner-up beside it.
  float max_distance = kMatchDistance;
  int max_suggestions = 3;  // per review item
};

struct NameSuggestion {
  PersonRecord person;
  float distance = 0;
  int64_t face_id = 0;  // the person's face closest to the item, to show beside it
};

// Who an item is: an unnamed group (person_id) or a face that belongs to nobody (face_id).
struct ReviewTarget {
  int64_t person_id = 0;
  int64_t face_id = 0;
};

struct ReviewItem {
  ReviewTarget target;
  std::vector<int64_t> face_ids;            // the group's faces (one for a lone face)
  int64_t sample_face_id = 0;               // the face closest to the group's mean
  std::vector<NameSuggestion> suggestions;  // closest first
};

// The faces still waiting for a name: unnamed, visible groups and faces grouping left with
// nobody (not those the user took off every person). Biggest groups first; among equal sizes,
// the most confident suggestion (smallest distance) first, items without one last; then by id.
// A person is never suggested for faces it was rejected for, nor for a face in a photo where
// it already is (one person appears once per photo).
Result<std::vector<ReviewItem>> ReviewQueue(Catalog& catalog, const ReviewOptions& options = {});

struct MergeSuggestion {
  PersonSummary keep;   // the one that stays: named before unnamed, then more faces, then lower id
  PersonSummary other;  // the one that would join it
  float distance = 0;
};

// Pairs of visible persons whose mean descriptors are within options.max_distance, who never
// appear in one photo and were not marked different (Catalog::MarkDifferentPersons), closest first.
Result<std::vector<MergeSuggestion>> SuggestMerges(Catalog& catalog, const ReviewOptions& options = {});

// Another person already called `name` (case-insensitively), other than `except`.
Result<std::optional<PersonRecord>> NameTakenBy(Catalog& catalog, const std::string& name,
                                                int64_t except = 0);

// "This is <person>": the group merges into the person (who keeps id and name), the face moves
// to them.
Status AssignReviewItem(Catalog& catalog, const ReviewTarget& target, int64_t person_id);

struct NamingOutcome {
  int64_t person_id = 0;  // who has the name now
  int64_t taken_by = 0;   // != 0: nothing changed, that person already has the name
};
// "This is <name>", a name nobody has: the group takes it; the face gets a new person of that
// name. A name someone else has changes nothing and says who (answer with AssignReviewItem).
Result<NamingOutcome> NameReviewItem(Catalog& catalog, const ReviewTarget& target, const std::string& name);

// "Not a face" (or nobody worth naming): the group is hidden, the face taken off every person
// for good (grouping leaves it alone). Both leave the queue.
Status DismissReviewItem(Catalog& catalog, const ReviewTarget& target);

}  // namespace facetag

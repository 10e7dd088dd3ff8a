// ApplyRegionNames: names from a photo's MWG face regions onto the faces facetag detected.
#include <algorithm>
#include <tuple>

#include "facetag/xmp.h"

namespace facetag {

Result<RegionNamesOutcome> ApplyRegionNames(Catalog& catalog, int64_t photo_id,
                                            const std::vector<NamedRegion>& regions) {
  RegionNamesOutcome outcome;
  if (regions.empty()) return outcome;
  auto faces = catalog.FacesOfPhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(faces.status());

  // Every (region, face) pair that overlaps enough, best first; each region and each face is
  // used once, so two regions never name one face and one name never lands on two faces.
  std::vector<std::tuple<float, size_t, size_t>> pairs;  // (-overlap, region, face)
  for (size_t r = 0; r < regions.size(); ++r) {
    for (size_t f = 0; f < faces->size(); ++f) {
      const float overlap = BoxOverlap(regions[r].box, (*faces)[f].face.box);
      if (overlap >= kRegionMatchOverlap) pairs.emplace_back(-overlap, r, f);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<bool> region_used(regions.size()), face_used(faces->size());
  for (const auto& [neg_overlap, r, f] : pairs) {
    if (region_used[r] || face_used[f]) continue;
    region_used[r] = face_used[f] = true;
    const std::string& name = regions[r].name;
    if (!ValidatePersonName(name).ok()) continue;  // not a name facetag would take from a user
    auto found = catalog.FindPersonsByName(name);
    FACETAG_RETURN_IF_ERROR(found.status());
    if (found->size() > 1) {
      ++outcome.ambiguous_names;
      continue;
    }
    int64_t person = 0;
    if (found->empty()) {
      auto created = catalog.CreatePerson(name);
      FACETAG_RETURN_IF_ERROR(created.status());
      person = *created;
      ++outcome.created_people;
    } else {
      person = found->front().id;
    }
    const FaceRecord& face = (*faces)[f];
    if (face.person_id == person && face.assignment == Assignment::kUser) continue;
    FACETAG_RETURN_IF_ERROR(catalog.MoveFace(face.id, person));
    ++outcome.named_faces;
  }
  outcome.unmatched_regions = static_cast<int>(std::count(region_used.begin(), region_used.end(), false));
  return outcome;
}

}  // namespace facetag

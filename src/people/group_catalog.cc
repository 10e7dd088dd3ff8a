// GroupCatalog: read a snapshot, group, write the plan; again if the user corrected
// something in between (the plan would otherwise undo the correction).
#include <new>

#include "facetag/grouping_io.h"
#include "facetag/people.h"

namespace facetag {
namespace {

constexpr int kAttempts = 3;

Result<int64_t> ReadInput(Catalog& catalog, GroupingInput& in) {
  Status shape;
  auto version = ForEachGroupingFace(
      catalog,
      [&](const GroupingFaceRow& row, std::span<const float> embedding) {
        if (!shape.ok()) return;
        if (in.faces.empty()) in.dim = static_cast<int>(embedding.size());
        if (static_cast<int>(embedding.size()) != in.dim || in.dim == 0) {
          shape =
              Corrupt("face " + std::to_string(row.face_id) + " has a " + std::to_string(embedding.size()) +
                      "-float embedding, others " + std::to_string(in.dim) + " (mixed models?)");
          return;
        }
        in.faces.push_back(row);
        in.embeddings.insert(in.embeddings.end(), embedding.begin(), embedding.end());
      },
      &in.rejections, &in.persons);
  FACETAG_RETURN_IF_ERROR(shape);
  return version;
}

Result<GroupingReport> GroupCatalogUnguarded(Catalog& catalog, GroupingMode mode,
                                             const GroupingOptions& options) {
  GroupingReport report;
  for (report.attempts = 1; report.attempts <= kAttempts; ++report.attempts) {
    GroupingInput in;
    auto version = ReadInput(catalog, in);
    FACETAG_RETURN_IF_ERROR(version.status());
    auto out = GroupFaces(in, mode, options);
    FACETAG_RETURN_IF_ERROR(out.status());

    AssignmentPlan plan;
    plan.corrections_version = *version;
    plan.new_persons = out->new_persons;
    for (size_t i = 0; i < in.faces.size(); ++i) {
      const auto& face = in.faces[i];
      if (face.assignment == Assignment::kAuto && out->person[i] != face.person_id) {
        plan.changes.push_back({face.face_id, out->person[i]});
      }
    }
    auto applied = ApplyAssignments(catalog, plan);
    FACETAG_RETURN_IF_ERROR(applied.status());
    if (*applied) {
      report.stats = out->stats;
      report.changed_faces = static_cast<int64_t>(plan.changes.size());
      return report;
    }
  }
  return IoError("the catalog kept changing while grouping ran; try again");
}

}  // namespace

Result<GroupingReport> GroupCatalog(Catalog& catalog, GroupingMode mode, const GroupingOptions& options) {
  try {
    return GroupCatalogUnguarded(catalog, mode, options);
  } catch (const std::bad_alloc&) {
    return TooLarge("not enough memory to cluster the catalog");
  }
}

}  // namespace facetag

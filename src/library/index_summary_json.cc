#include <nlohmann/json.hpp>

#include "facetag/indexer.h"

namespace facetag {

std::string AnalysisWarning(const IndexSummary& s) {
  if (s.catalog_analysis_differs.empty()) return "";
  return "this run analysed photos with " + s.analysis + ", but the catalog's photos were analysed with " +
         s.catalog_analysis_differs + ": the two may find different faces; index with the same settings " +
         "(or into a new catalog) to keep one analysis";
}

nlohmann::json IndexSummaryToJson(const IndexSummary& s) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : s.failures) failures.push_back({{"path", f.path}, {"error", f.error}});
  const std::string warning = AnalysisWarning(s);
  return {{"files", s.files},
          {"unchanged", s.unchanged},
          {"known_content", s.known_content},
          {"analyzed", s.analyzed},
          {"added", s.added},
          {"replaced", s.replaced},
          {"failed", s.failed},
          {"no_face", s.no_face},
          {"faces_added", s.faces_added},
          {"xmp_named_faces", s.xmp_named_faces},
          {"missing", s.missing},
          {"new_people", s.grouping.stats.new_people},
          {"seconds", s.seconds},
          {"failures", std::move(failures)},
          {"analysis", s.analysis},
          {"analysis_warning", warning.empty() ? nlohmann::json() : nlohmann::json(warning)}};
}

nlohmann::json GroupingReportToJson(const GroupingReport& report) {
  const GroupingStats& s = report.stats;
  return {{"faces", s.faces},
          {"people", s.people},
          {"new_people", s.new_people},
          {"unassigned", s.noise},
          {"changed_faces", report.changed_faces},
          {"seconds", s.total_s}};
}

}  // namespace facetag

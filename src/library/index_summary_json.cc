#include <nlohmann/json.hpp>

#include "facetag/indexer.h"

namespace facetag {

nlohmann::json IndexSummaryToJson(const IndexSummary& s) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : s.failures) failures.push_back({{"path", f.path}, {"error", f.error}});
  return {{"files", s.files},
          {"unchanged", s.unchanged},
          {"known_content", s.known_content},
          {"analyzed", s.analyzed},
          {"added", s.added},
          {"replaced", s.replaced},
          {"failed", s.failed},
          {"faces_added", s.faces_added},
          {"xmp_named_faces", s.xmp_named_faces},
          {"missing", s.missing},
          {"new_people", s.clustering.stats.new_people},
          {"seconds", s.seconds},
          {"failures", std::move(failures)}};
}

}  // namespace facetag

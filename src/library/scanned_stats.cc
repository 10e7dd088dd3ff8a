#include "library/scanned_stats.h"

#include "library/file_stat.h"

namespace facetag::library {

ScannedStats::ScannedStats(const std::vector<ScannedRoot>& roots) {
  for (const ScannedRoot& root : roots) {
    for (size_t i = 0; i < root.stats.size() && i < root.files.size(); ++i)
      listed_[root.files[i]] = root.stats[i];
  }
}

Result<FileStat> ScannedStats::Of(const std::string& path) const {
  if (auto listed = listed_.find(path); listed != listed_.end()) return listed->second;
  return StatFile(path);
}

}  // namespace facetag::library

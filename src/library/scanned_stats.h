// The size and modification time of a scanned photo, the indexer's "unchanged?" test: what the
// listing said for an object (no request per object), a stat() for a file.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "facetag/indexer.h"

namespace facetag::library {

class ScannedStats {
 public:
  explicit ScannedStats(const std::vector<ScannedRoot>& roots);
  // Fails when a file is gone since the scan.
  Result<FileStat> Of(const std::string& path) const;

 private:
  std::unordered_map<std::string, FileStat> listed_;
};

}  // namespace facetag::library

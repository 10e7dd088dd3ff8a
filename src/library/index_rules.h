// The indexer's rules for what to do with a file, cheapest test first, in one place: the local
// indexer and the cluster's head (answering `facetag index --head`) both decide by them.
//  1. Path, size and mtime as catalogued: the file is unchanged and not even read. If it failed
//     before, it is still a failure of this run (and is retried once it changes).
//  2. Its content (sha256) catalogued and not failed: only the path is recorded (a move, a
//     rename, a copy); faces and names are kept. Failed content is analysed again: the reason
//     may have been ours (a limit).
//  3. Else it is analysed.
#pragma once

#include <cstdint>
#include <string>

#include "facetag/catalog.h"

namespace facetag::library {

struct StatCheck {
  bool unchanged = false;
  std::string failed_error;  // unchanged and catalogued as failed: why
};

// Rule 1.
Result<StatCheck> CheckByStat(Catalog& catalog, const std::string& path, const FileStat& stat);

// Rule 2: the catalogued photo with this content that a new path may share; 0 when the content
// must be analysed.
Result<int64_t> ReusablePhotoByContent(Catalog& catalog, const std::string& content_hash);

}  // namespace facetag::library

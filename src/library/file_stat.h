// A file's size and modification time, the indexer's "unchanged?" test: a photo catalogued with
// the same path, size and mtime is skipped without being read.
#pragma once

#include <filesystem>

#include "facetag/catalog_records.h"
#include "facetag/status.h"

namespace facetag::library {

Result<FileStat> StatFile(const std::filesystem::path& file);

}  // namespace facetag::library

// What identifies a file's content (sha256): the catalog keys photos on it, and the backend
// choice keys its cache on the models' hashes. (Telling an unchanged file by its size and mtime
// is the library's: StatFile in src/library/file_stat.h.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "facetag/status.h"

namespace facetag {

// Lower-case hex sha256 of a file's bytes (streamed, constant memory) or of a buffer.
Result<std::string> HashFile(const std::filesystem::path& file);
std::string HashBytes(std::span<const uint8_t> bytes);

}  // namespace facetag

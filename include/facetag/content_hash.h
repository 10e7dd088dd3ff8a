// What identifies a file's content (sha256) and tells an unchanged file (size and mtime): the
// catalog keys photos on them, and the backend choice keys its cache on the models' hashes.
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

// What the catalog keys a file's "unchanged" check on.
struct FileStat {
  int64_t size = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the Unix epoch
};
Result<FileStat> StatFile(const std::filesystem::path& file);

}  // namespace facetag

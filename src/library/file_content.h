// A photo file read once: its bytes for the decoder and its sha256 for the catalog.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::library {

struct FileContent {
  std::vector<uint8_t> bytes;  // empty when the file was hashed without keeping its bytes
  std::string hash;            // sha256, lower-case hex; empty when the file could not be read
  Status status;               // why `bytes` is empty (unreadable, empty, over the limit)
  // The object store could not be reached (or failed): the photo is not to blame, and nothing
  // should be recorded against it; a later run reads it again.
  bool store_unavailable = false;
};

// Reads `path` whole and hashes it. A file over `max_bytes` is hashed by streaming, so it is
// still identified (and recorded as too large) without holding it in memory. An s3://BUCKET/KEY
// path is read from the object store (library/object_photos.h): every reader gets both.
FileContent ReadFileContent(const std::string& path, uint64_t max_bytes);

}  // namespace facetag::library

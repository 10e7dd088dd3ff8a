// Photos in S3-compatible object storage, behind the same two calls as photo files: a root
// s3://BUCKET/PREFIX is scanned by listing (the listing's Size and LastModified are the stat, so
// no request per object), and an object is read with one GET. Paths are s3://BUCKET/KEY.
#pragma once

#include <cstdint>
#include <string>

#include "facetag/indexer.h"
#include "library/file_content.h"

namespace facetag::library {

// The photos under s3://BUCKET/PREFIX, as if PREFIX were a folder: every object whose key is
// under PREFIX/ and has a photo's extension; keys with a hidden part ("a/.thumbs/b.jpg") skipped.
ScannedRoot ScanObjectRoot(const std::string& root);

// Reads s3://BUCKET/KEY whole and hashes it; over `max_bytes`, hashed without being kept.
FileContent ReadObjectContent(const std::string& url, uint64_t max_bytes);

}  // namespace facetag::library

// Photos in object storage are named by URL, s3://BUCKET/KEY, in the catalog as everywhere:
// every rule that compares paths as strings (unchanged files, missing files under a root) works
// on them unchanged.
#pragma once

#include <string>
#include <string_view>

#include "facetag/status.h"

namespace facetag::storage {

inline constexpr std::string_view kS3Scheme = "s3://";

// Whether `path` names an object (s3://...) rather than a file.
bool IsObjectUrl(std::string_view path);

struct ObjectUrl {
  std::string bucket;
  std::string key;  // may be empty (a root: the whole bucket)
};

// Splits s3://BUCKET[/KEY].
Result<ObjectUrl> ParseObjectUrl(std::string_view url);
// s3://BUCKET/KEY (s3://BUCKET when the key is empty).
std::string ObjectUrlString(const std::string& bucket, const std::string& key);

}  // namespace facetag::storage

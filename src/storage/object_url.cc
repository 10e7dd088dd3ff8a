#include "storage/object_url.h"

namespace facetag::storage {

bool IsObjectUrl(std::string_view path) { return path.substr(0, kS3Scheme.size()) == kS3Scheme; }

Result<ObjectUrl> ParseObjectUrl(std::string_view url) {
  if (!IsObjectUrl(url)) return InvalidArgument(std::string(url) + " is not an s3:// URL");
  std::string_view rest = url.substr(kS3Scheme.size());
  const size_t slash = rest.find('/');
  ObjectUrl out;
  out.bucket = std::string(rest.substr(0, slash));
  if (out.bucket.empty()) return InvalidArgument(std::string(url) + " names no bucket (s3://BUCKET/PREFIX)");
  // The key verbatim: "a//b" and "a/b" are two objects.
  if (slash != std::string_view::npos) out.key = std::string(rest.substr(slash + 1));
  return out;
}

std::string ObjectUrlString(const std::string& bucket, const std::string& key) {
  return std::string(kS3Scheme) + bucket + (key.empty() ? "" : "/" + key);
}

}  // namespace facetag::storage

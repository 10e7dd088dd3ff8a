// An S3-compatible object store (AWS S3, MinIO, ...) as facetag uses it: list a prefix, read an
// object, write one. Requests are signed by libcurl (CURLOPT_AWS_SIGV4), not by hand: signing is
// easy to get subtly wrong and libcurl's is maintained and used widely (docs/STORAGE.md).
// Errors say what to do ("access denied (check AWS_ACCESS_KEY_ID ...)", "no such bucket: NAME",
// "cannot reach ENDPOINT: ...") and never carry the secret key.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "facetag/status.h"
#include "storage/s3_config.h"
#include "storage/s3_xml.h"

namespace facetag::storage {

class S3Client {
 public:
  explicit S3Client(S3Config config);
  // With the configuration of S3ConfigFromEnvironment.
  static Result<S3Client> FromEnvironment();

  // Every object whose key starts with `prefix`, sorted by key, all pages of ListObjectsV2
  // (config().list_page_size keys a page). Fails as a whole if any page fails.
  Result<std::vector<ListedObject>> List(const std::string& bucket, const std::string& prefix) const;

  // The object's bytes, handed to `sink` piece by piece as they arrive.
  using Sink = std::function<void(const uint8_t* data, size_t size)>;
  Status Get(const std::string& bucket, const std::string& key, const Sink& sink) const;

  // The object's size and LastModified, without its bytes.
  Result<ListedObject> Head(const std::string& bucket, const std::string& key) const;

  // Writes (or replaces) the object.
  Status Put(const std::string& bucket, const std::string& key, std::span<const uint8_t> bytes,
             const std::string& content_type) const;

  // Removes the object (no error when it is not there, as S3 says).
  Status Delete(const std::string& bucket, const std::string& key) const;

  const S3Config& config() const { return config_; }

 private:
  struct Request;
  struct Reply;
  Reply Send(const Request& request) const;
  Status Failure(const Reply& reply, const std::string& bucket, const std::string& key) const;

  S3Config config_;
};

// Whether a failure is the store's or the network's (unreachable, an HTTP 5xx), not the object's:
// trying again later may work, so nothing should be recorded against the object.
bool IsStoreUnavailable(const Status& status);

}  // namespace facetag::storage

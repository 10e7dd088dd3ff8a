// The two XML documents an S3 store answers with that facetag reads: a ListObjectsV2 page and an
// error. Parsed with libexpat (a packaged, streaming parser; no DTDs, no external entities).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::storage {

struct ListedObject {
  std::string key;
  int64_t size = 0;
  int64_t last_modified_ns = 0;  // LastModified, nanoseconds since the Unix epoch
  std::string etag;              // without its quotes
};

struct ListPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken, when truncated
};

Result<ListPage> ParseListPage(const std::string& xml);

struct S3ErrorBody {
  std::string code;     // "NoSuchBucket", "AccessDenied", ... (empty: no error document)
  std::string message;  // the store's words
};
S3ErrorBody ParseErrorBody(const std::string& xml);

// "2026-12-05T19:53:30.000Z" as nanoseconds since the Unix epoch.
Result<int64_t> ParseIsoTime(const std::string& text);

}  // namespace facetag::storage

#include "library/object_photos.h"

#include <openssl/evp.h>

#include <memory>

#include "storage/object_url.h"
#include "storage/s3_client.h"

namespace facetag::library {
namespace {

bool HasHiddenPart(const std::string& key) { return key[0] == '.' || key.find("/.") != std::string::npos; }

}  // namespace

ScannedRoot ScanObjectRoot(const std::string& root) {
  ScannedRoot out;
  out.root = root;
  auto url = storage::ParseObjectUrl(root);
  if (!url.ok()) {
    out.status = url.status();
    return out;
  }
  while (!url->key.empty() && url->key.back() == '/') url->key.pop_back();
  out.root = storage::ObjectUrlString(url->bucket, url->key);
  auto client = storage::S3Client::FromEnvironment();
  if (!client.ok()) {
    out.status = client.status();
    return out;
  }
  auto objects = client->List(url->bucket, url->key.empty() ? "" : url->key + "/");
  if (!objects.ok()) {
    // Without the full listing, objects not listed would wrongly be taken for deleted.
    out.status = objects.status();
    return out;
  }
  for (const storage::ListedObject& object : *objects) {
    if (object.key.empty() || object.key.back() == '/' || HasHiddenPart(object.key) ||
        !IsPhotoFileName(object.key))
      continue;
    out.files.push_back(storage::ObjectUrlString(url->bucket, object.key));
    out.stats.push_back({object.size, object.last_modified_ns});
  }
  return out;
}

FileContent ReadObjectContent(const std::string& url, uint64_t max_bytes) {
  FileContent out;
  auto where = storage::ParseObjectUrl(url);
  if (!where.ok()) {
    out.status = where.status();
    return out;
  }
  auto client = storage::S3Client::FromEnvironment();
  if (!client.ok()) {
    out.status = client.status();
    out.store_unavailable = true;  // not the photo's fault: the set-up's
    return out;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  uint64_t received = 0;
  Status got = client->Get(where->bucket, where->key, [&](const uint8_t* data, size_t size) {
    EVP_DigestUpdate(sha.get(), data, size);
    received += size;
    // Over the limit the object is still hashed (identified, recorded as too large), not kept.
    if (received <= max_bytes)
      out.bytes.insert(out.bytes.end(), data, data + size);
    else
      out.bytes.clear();
  });
  if (!got.ok()) {
    out.bytes.clear();
    out.status = got;
    out.store_unavailable = storage::IsStoreUnavailable(got);
    return out;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(sha.get(), digest, &size);
  static const char kDigits[] = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) {
    out.hash += kDigits[digest[i] >> 4];
    out.hash += kDigits[digest[i] & 15];
  }
  if (received > max_bytes)
    out.status =
        TooLarge(url + " is " + std::to_string(received) + " bytes, limit is " + std::to_string(max_bytes));
  return out;
}

}  // namespace facetag::library

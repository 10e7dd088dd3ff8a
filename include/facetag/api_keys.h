// API keys for non-loopback binds. Only the sha256 of a key is stored (a file beside the
// catalog, mode 0600: <catalog>.apikeys), and a presented key is checked in constant time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::service {

struct ApiKeyRecord {
  std::string id;    // short public id, to list and revoke
  std::string name;  // what the user called it
  int64_t created = 0;
  std::string hash;  // hex sha256 of the key
};

std::filesystem::path ApiKeyFile(const std::filesystem::path& catalog);

class ApiKeyStore {
 public:
  explicit ApiKeyStore(std::filesystem::path file) : file_(std::move(file)) {}
  Result<std::vector<ApiKeyRecord>> List() const;
  // Returns the new key ("ftk_<id>_<secret>"); only its hash is kept.
  Result<std::string> Create(const std::string& name);
  // NotFound when no key has that id.
  Status Revoke(const std::string& id);

 private:
  Status Write(const std::vector<ApiKeyRecord>& keys) const;
  std::filesystem::path file_;
};

// A loaded set of key hashes, checked in constant time per key.
class ApiKeyChecker {
 public:
  explicit ApiKeyChecker(std::vector<ApiKeyRecord> keys) : keys_(std::move(keys)) {}
  bool empty() const { return keys_.empty(); }
  bool Accepts(const std::string& presented) const;

 private:
  std::vector<ApiKeyRecord> keys_;
};

// The keys a running server accepts, re-read when the key file changes (create, revoke), so a
// revoked key stops working without a restart. A key file that cannot be read leaves no key
// accepted (fail closed) until it can be.
class ReloadingApiKeys {
 public:
  ReloadingApiKeys(std::filesystem::path file, std::vector<ApiKeyRecord> keys);
  bool Accepts(const std::string& presented) const;
  // Cheap when nothing changed (one stat); call it a few times a second.
  void ReloadIfChanged();

 private:
  struct FileVersion {
    bool exists = false;
    uint64_t inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileVersion&) const = default;
  };
  FileVersion Version() const;
  std::filesystem::path file_;
  FileVersion version_;
  mutable std::mutex mu_;
  std::shared_ptr<const ApiKeyChecker> checker_;
};

}  // namespace facetag::service

#include "facetag/api_keys.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "common/random_hex.h"
#include "facetag/catalog.h"

namespace facetag::service {
namespace {

std::string Sha256Hex(const std::string& text) {
  return HashBytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace

std::filesystem::path ApiKeyFile(const std::filesystem::path& catalog) {
  return std::filesystem::path(catalog.string() + ".apikeys");
}

Result<std::vector<ApiKeyRecord>> ApiKeyStore::List() const {
  std::vector<ApiKeyRecord> keys;
  std::ifstream in(file_);
  if (!in) return keys;  // no file: no keys
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    ApiKeyRecord k;
    if (!(fields >> k.id >> k.hash >> k.created)) return Corrupt("malformed line in " + file_.string());
    std::getline(fields >> std::ws, k.name);
    keys.push_back(std::move(k));
  }
  return keys;
}

Status ApiKeyStore::Write(const std::vector<ApiKeyRecord>& keys) const {
  const auto tmp = std::filesystem::path(file_.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return IoError("cannot write " + tmp.string());
    ::chmod(tmp.c_str(), 0600);
    out << "# facetag API keys: id sha256(key) created name\n";
    for (const auto& k : keys) out << k.id << ' ' << k.hash << ' ' << k.created << ' ' << k.name << '\n';
    if (!out.flush()) return IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
  if (ec) return IoError("cannot replace " + file_.string() + ": " + ec.message());
  return Status::Ok();
}

Result<std::string> ApiKeyStore::Create(const std::string& name) {
  auto keys = List();
  FACETAG_RETURN_IF_ERROR(keys.status());
  ApiKeyRecord k;
  k.id = RandomHex(4);
  const std::string secret = RandomHex(24);
  if (k.id.empty() || secret.empty()) return Internal("no random bytes for a key");
  const std::string key = "ftk_" + k.id + "_" + secret;
  k.hash = Sha256Hex(key);
  k.name = name;
  for (char& c : k.name)
    if (c == '\n' || c == '\r') c = ' ';
  k.created =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  keys->push_back(k);
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  FACETAG_RETURN_IF_ERROR(Write(*keys));
  return key;
}

Status ApiKeyStore::Revoke(const std::string& id) {
  auto keys = List();
  FACETAG_RETURN_IF_ERROR(keys.status());
  const auto before = keys->size();
  std::erase_if(*keys, [&](const ApiKeyRecord& k) { return k.id == id; });
  if (keys->size() == before) return NotFound("no API key with id " + id);
  return Write(*keys);
}

bool ApiKeyChecker::Accepts(const std::string& presented) const {
  if (presented.empty()) return false;
  const std::string hash = Sha256Hex(presented);
  bool accepted = false;
  // Every key is compared, each in constant time, so timing says nothing about which matched.
  for (const auto& k : keys_) {
    if (k.hash.size() == hash.size() && CRYPTO_memcmp(k.hash.data(), hash.data(), hash.size()) == 0)
      accepted = true;
  }
  return accepted;
}

ReloadingApiKeys::ReloadingApiKeys(std::filesystem::path file, std::vector<ApiKeyRecord> keys)
    : file_(std::move(file)), checker_(std::make_shared<ApiKeyChecker>(std::move(keys))) {
  version_ = Version();
}

ReloadingApiKeys::FileVersion ReloadingApiKeys::Version() const {
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) return {};
  return {true, static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

bool ReloadingApiKeys::Accepts(const std::string& presented) const {
  std::shared_ptr<const ApiKeyChecker> checker;
  {
    std::lock_guard lock(mu_);
    checker = checker_;
  }
  return checker->Accepts(presented);
}

void ReloadingApiKeys::ReloadIfChanged() {
  const FileVersion now = Version();
  if (now == version_) return;
  version_ = now;
  auto keys = ApiKeyStore(file_).List();
  auto checker =
      std::make_shared<const ApiKeyChecker>(keys.ok() ? std::move(*keys) : std::vector<ApiKeyRecord>{});
  std::lock_guard lock(mu_);
  checker_ = std::move(checker);
}

}  // namespace facetag::service

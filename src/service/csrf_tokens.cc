#include "service/csrf_tokens.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "common/random_hex.h"

namespace facetag::service {

std::string CsrfTokens::SessionId(const std::string& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string CsrfTokens::TokenFor(const std::string& key) {
  const std::string id = SessionId(key);
  std::lock_guard lock(mu_);
  auto it = tokens_.find(id);
  if (it != tokens_.end()) return it->second;
  std::string token = RandomHex(32);
  if (token.empty()) return {};
  tokens_.emplace(id, token);
  return token;
}

bool CsrfTokens::Matches(const std::string& key, std::string_view presented) const {
  const std::string id = SessionId(key);
  std::lock_guard lock(mu_);
  const auto it = tokens_.find(id);
  if (it == tokens_.end() || it->second.empty()) return false;
  const std::string& token = it->second;
  return presented.size() == token.size() && CRYPTO_memcmp(presented.data(), token.data(), token.size()) == 0;
}

}  // namespace facetag::service

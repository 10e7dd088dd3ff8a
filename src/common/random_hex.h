// Secrets for people to copy (API keys, cluster tokens): random bytes from OpenSSL, as hex.
#pragma once

#include <cstddef>
#include <string>

namespace facetag {

// `bytes` random bytes as 2 * bytes lower-case hex digits; empty if the system has no entropy.
std::string RandomHex(size_t bytes);

}  // namespace facetag

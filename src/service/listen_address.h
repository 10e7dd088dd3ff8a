// Where `facetag serve` listens (--listen), and the rule that only loopback may go without an API
// key: parsed and checked before anything is opened, so a refused address costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "facetag/status.h"

namespace facetag::service {

struct ListenAddress {
  std::string host;  // without the brackets of "[::1]:8080"
  uint16_t port = 0;
};

// "HOST:PORT" or "[IPV6]:PORT"; port 0 picks a free one. InvalidArgument for anything else,
// a bare port included: the host decides who can reach the service, so it is always written.
Result<ListenAddress> ParseListenAddress(const std::string& text);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// Anyone on the network can reach a non-loopback address: listening there without an API key
// would open the catalog to them, so it is refused (InvalidArgument saying how to make a key).
Status CheckListenCredentials(const ListenAddress& address, size_t api_key_count);

}  // namespace facetag::service

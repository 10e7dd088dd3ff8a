#include "service/listen_address.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace facetag::service {

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  const auto invalid = [&] { return InvalidArgument("--listen wants HOST:PORT, got " + text); };
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return invalid();
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  // Digits only: std::stoi alone read "8080abc" as 8080 and " 80" as 80.
  const std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return invalid();
  const int port = std::stoi(digits);
  if (port > 65535) return invalid();
  return ListenAddress{host, static_cast<uint16_t>(port)};
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

Status CheckListenCredentials(const ListenAddress& address, size_t api_key_count) {
  if (IsLoopbackHost(address.host) || api_key_count > 0) return Status::Ok();
  return InvalidArgument(
      "refusing to listen on " + address.host +
      " without an API key: create one with `facetag apikey create` (or listen on 127.0.0.1)");
}

}  // namespace facetag::service

#include "service/request_guard.h"

#include <boost/asio/ip/address.hpp>

namespace facetag::service {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::pair<std::string, std::string> SplitHostPort(std::string_view authority) {
  const std::string a = Lower(authority);
  if (!a.empty() && a.front() == '[') {
    const size_t close = a.find(']');
    if (close == std::string::npos) return {a, ""};
    const std::string rest = a.substr(close + 1);
    return {a.substr(1, close - 1), rest.size() > 1 && rest[0] == ':' ? rest.substr(1) : ""};
  }
  const size_t colon = a.rfind(':');
  if (colon == std::string::npos || a.find(':') != colon) return {a, ""};  // a bare IPv6 has several
  return {a.substr(0, colon), a.substr(colon + 1)};
}

RequestGuard::RequestGuard(std::string listen_host, std::vector<std::string> allowed_hosts)
    : listen_host_(Lower(listen_host)) {
  for (auto& h : allowed_hosts) allowed_.push_back(Lower(h));
}

bool RequestGuard::NameAllowed(std::string_view host, std::string_view authority) const {
  const std::string a = Lower(authority);
  for (const auto& allowed : allowed_)
    if (allowed == host || allowed == a) return true;
  return false;
}

bool RequestGuard::HostAllowed(std::string_view host_header) const {
  if (host_header.empty()) return true;
  const auto [host, port] = SplitHostPort(host_header);
  if (host == "localhost" || host == listen_host_ || IsIpLiteral(host)) return true;
  return NameAllowed(host, host_header);
}

bool RequestGuard::CrossSiteWrite(const HttpRequest& request) const {
  if (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS") return false;
  const std::string site = Lower(request.Header("sec-fetch-site"));
  if (site == "cross-site" || site == "same-site") return true;
  const std::string origin = request.Header("origin");
  if (origin.empty()) return false;
  // "null" (sandboxed frames, file: pages, some redirects) is never this service's own page.
  const size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return true;
  const std::string authority = Lower(std::string_view(origin).substr(scheme + 3));
  if (authority == Lower(request.Header("host"))) return false;
  // Behind a reverse proxy the Host the service sees may be the proxy's upstream address while
  // the page's origin is the public name: that name must be allowed explicitly.
  return !NameAllowed(SplitHostPort(authority).first, authority);
}

}  // namespace facetag::service

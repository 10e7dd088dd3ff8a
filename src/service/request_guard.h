// What keeps web pages from driving the service through the user's browser:
//  - DNS rebinding: a page of evil.example whose name is made to resolve to 127.0.0.1 reaches
//    the service with "Host: evil.example". Only Host names on the allow-list are answered.
//  - Cross-site requests: a page on another site can POST a form (text/plain, multipart) to
//    the service without CORS' permission; the browser then says where it came from (Origin,
//    Sec-Fetch-Site), and state-changing requests from another origin are refused.
// Requests without those headers (curl, scripts, other programs) are not a browser's and pass.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "service/csrf_tokens.h"
#include "service/http_types.h"

namespace facetag::service {

class RequestGuard {
 public:
  // `listen_host`: the address the server listens on; `allowed_hosts`: further names the
  // server is reached by (a reverse proxy's public name), as "name" or "name:port".
  RequestGuard(std::string listen_host, std::vector<std::string> allowed_hosts);

  // An empty Host (HTTP/1.0 programs), "localhost", an IP literal (a rebinding attack needs a
  // name it controls, so an address can never be one), the listen host or an allowed name.
  bool HostAllowed(std::string_view host_header) const;
  // A method that changes state (anything but GET, HEAD, OPTIONS) sent by a browser from a page
  // of another origin: Sec-Fetch-Site cross-site or same-site, or an Origin that is neither the
  // Host the request was sent to nor an allowed name.
  bool CrossSiteWrite(const HttpRequest& request) const;
  // The cookie session's CSRF tokens (see csrf_tokens.h); the guard is shared by every request.
  CsrfTokens& csrf() const { return csrf_; }

 private:
  bool NameAllowed(std::string_view host, std::string_view authority) const;
  std::string listen_host_;
  std::vector<std::string> allowed_;  // lower case
  mutable CsrfTokens csrf_;
};

// "Host: name:port" split: {"name", "port"} ("[::1]:80" gives "::1"). Lower-cased.
std::pair<std::string, std::string> SplitHostPort(std::string_view authority);

}  // namespace facetag::service

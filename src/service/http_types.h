// What a handler sees of an HTTP request and what it answers, independent of Beast, so the
// handlers read like the API document and the server owns the sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace facetag::service {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::map<std::string, std::string> params;  // {id} and friends from the route pattern
  bool loopback_peer = true;
  // The body parsed by the dispatcher (json_body.h, with its limits) when it is sent as JSON;
  // null otherwise. Handlers read this and never parse the body themselves.
  std::shared_ptr<const nlohmann::json> json;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name, const std::string& fallback = {}) const {
    auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Held this long before it is sent (on a timer: no thread waits). Used for 503 overloaded,
  // so that clients that retry at once do not turn refusals into a storm that starves the engines.
  int delay_ms = 0;
};

// Handlers answer exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&, Respond)>;

}  // namespace facetag::service

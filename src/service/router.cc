#include "service/router.h"

namespace facetag::service {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, pattern, Split(pattern), std::move(handler)});
}

Router::Match Router::Find(HttpRequest& request) const {
  const auto parts = Split(request.path);
  Match match;
  match.route = "other";
  for (const Route& r : routes_) {
    if (r.parts.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& p = r.parts[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params[p.substr(1, p.size() - 2)] = parts[i];
      } else {
        ok = p == parts[i];
      }
    }
    if (!ok) continue;
    if (r.method != request.method && !(r.method == "GET" && request.method == "HEAD")) {
      match.method_mismatch = true;
      match.route = r.pattern;
      continue;
    }
    request.params = std::move(params);
    return {&r.handler, r.pattern, false};
  }
  return match;
}

}  // namespace facetag::service

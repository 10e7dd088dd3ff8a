// Method + path pattern ("/api/v1/persons/{id}") to handler. The pattern is also the route's
// name in the metrics, so ids never make label values explode.
#pragma once

#include <string>
#include <vector>

#include "service/http_types.h"

namespace facetag::service {

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string route;                 // the pattern, or "other"
    bool method_mismatch = false;      // the path matched a route but not with this method
  };
  // Fills request.params on a match.
  Match Find(HttpRequest& request) const;

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> parts;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace facetag::service

// Stand-in until the web UI's generated assets land: one page that says so.
#include "service/web_assets.h"

namespace facetag::service {
std::optional<WebAsset> FindWebAsset(std::string_view path) {
  if (path == "/" || path == "/index.html")
    return WebAsset{
        "text/html; charset=utf-8",
        "<!doctype html><title>facetag</title><p>facetag is running; the web UI is not built in.</p>"};
  return std::nullopt;
}
}  // namespace facetag::service

// The web UI's files, compiled into the binary (generated from web/ by
// cmake/EmbedWebAssets.cmake; target facetag_web_assets), so that `facetag serve` needs no
// files beside it and no build step at run time.
#pragma once

#include <optional>
#include <string_view>

namespace facetag::service {

struct WebAsset {
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;          // static storage: valid for the life of the process
};

// The file served at `path` ("/" is "/index.html"; a query string is ignored), or nothing.
std::optional<WebAsset> FindWebAsset(std::string_view path);

}  // namespace facetag::service

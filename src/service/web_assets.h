// The web UI's files, compiled in (target facetag_web_assets, built from web/).
#pragma once

#include <optional>
#include <string_view>

namespace facetag::service {
struct WebAsset {
  std::string_view content_type;
  std::string_view body;
};
std::optional<WebAsset> FindWebAsset(std::string_view path);
}  // namespace facetag::service

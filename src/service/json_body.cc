#include "service/json_body.h"

namespace facetag::service {

int JsonNestingDepth(std::string_view text, int stop_at) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        deepest = std::max(deepest, ++depth);
        if (deepest > stop_at) return deepest;
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Result<nlohmann::json> ParseJsonLimited(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return TooLarge("the JSON body is larger than " + std::to_string(limits.max_bytes) + " bytes");
  // Depth is checked by a scan before parsing, not with nlohmann's parser callback: the callback
  // can only discard values, not stop the parse, so a 150,000-level body would still be walked
  // to its end; and what kills the process is not the parser (it is iterative) but the
  // recursive copies and destructions of the value afterwards, so the value must never exist.
  if (JsonNestingDepth(text, limits.max_depth) > limits.max_depth)
    return InvalidArgument("the JSON body nests deeper than " + std::to_string(limits.max_depth) + " levels");
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return InvalidArgument("the body is not valid JSON");
  return value;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace facetag::service

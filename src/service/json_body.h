// Request bodies as JSON, with limits: the one parser every JSON route's body goes through
// (the dispatcher calls it; handlers only read HttpRequest::json).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "facetag/status.h"

namespace facetag::service {

struct JsonLimits {
  // The API's bodies are a few short fields; 1 MiB leaves room for long id lists in merges.
  size_t max_bytes = 1 << 20;
  // The API's bodies nest two levels ({"ids": [...]}); 32 is generous and keeps every later
  // recursive walk of the value (copies, comparisons, dumps) far from the stack's end.
  int max_depth = 32;
};

// TooLarge over max_bytes, InvalidArgument when nested deeper than max_depth or not JSON.
Result<nlohmann::json> ParseJsonLimited(std::string_view text, const JsonLimits& limits = {});

// Nesting depth of a JSON text ([ and { outside strings), stopping once it exceeds `stop_at`.
// Exposed for the tests and the fuzzer.
int JsonNestingDepth(std::string_view text, int stop_at);

// How every answer is serialized: invalid UTF-8 (a Latin-1 file name, say) becomes U+FFFD
// instead of throwing, so one odd string can never turn an answer into a 500.
std::string DumpJson(const nlohmann::json& value);

}  // namespace facetag::service

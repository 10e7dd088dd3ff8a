#include "service/request_params.h"

#include "service/api_error.h"

namespace facetag::service {

std::optional<int64_t> DecimalId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<int64_t> IdParam(const HttpRequest& request, const std::string& name) {
  auto it = request.params.find(name);
  if (it == request.params.end()) return std::nullopt;
  return DecimalId(it->second);
}

std::optional<int64_t> BoundedQuery(const HttpRequest& request, const std::string& name, int64_t fallback,
                                    int64_t min, int64_t max) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return fallback;
  const auto v = DecimalId(it->second);
  if (!v || *v < min || *v > max) return std::nullopt;
  return v;
}

std::optional<nlohmann::json> JsonBody(const HttpRequest& request, HttpResponse* error) {
  if (!request.json) {
    // The dispatcher parses every body sent as JSON; nothing here means it was not sent so.
    *error = ErrorResponse(415, "unsupported_media_type", "send Content-Type: application/json");
    return std::nullopt;
  }
  if (!request.json->is_object()) {
    *error = ErrorResponse(400, "bad_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return *request.json;
}

std::optional<int64_t> JsonId(const nlohmann::json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  return value.get<int64_t>();
}

}  // namespace facetag::service

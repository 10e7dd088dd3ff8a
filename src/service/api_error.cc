#include "service/api_error.h"

#include <nlohmann/json.hpp>

namespace facetag::service {

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  HttpResponse r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (code == "overloaded" || code == "timeout") r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse StatusResponse(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kNotFound:
      return ErrorResponse(404, "not_found", status.message());
    case ErrorCode::kInvalidArgument:
      return ErrorResponse(400, "bad_request", status.message());
    case ErrorCode::kTooLarge:
      return ErrorResponse(413, "payload_too_large", status.message());
    case ErrorCode::kUnsupported:
    case ErrorCode::kCorrupt:
      return ErrorResponse(400, "bad_image", status.message());
    default:
      return ErrorResponse(500, "internal", "internal error");
  }
}

HttpResponse ImageErrorResponse(const Status& status) {
  if (status.code() == ErrorCode::kTooLarge) return ErrorResponse(413, "payload_too_large", status.message());
  return ErrorResponse(400, "bad_image", "the image cannot be decoded: " + status.message());
}

HttpResponse JsonResponse(int status, const std::string& json_text) {
  HttpResponse r;
  r.status = status;
  r.body = json_text;
  return r;
}

}  // namespace facetag::service

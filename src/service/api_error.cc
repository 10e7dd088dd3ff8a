#include "service/api_error.h"

#include <nlohmann/json.hpp>

#include "service/json_body.h"

namespace facetag::service {

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  HttpResponse r;
  r.status = status;
  r.body = DumpJson(j);
  if (code == "overloaded" || code == "timeout") r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse StatusResponse(const Status& status) {
  const bool from_sqlite = status.message().rfind("sqlite:", 0) == 0;
  switch (status.code()) {
    case ErrorCode::kNotFound:
      return ErrorResponse(404, "not_found", from_sqlite ? "no such resource" : status.message());
    case ErrorCode::kInvalidArgument:
      return ErrorResponse(400, "bad_request",
                           from_sqlite ? "the request conflicts with the catalog" : status.message());
    case ErrorCode::kTooLarge:
      return ErrorResponse(413, "payload_too_large", status.message());
    case ErrorCode::kCorrupt:
    case ErrorCode::kIoError:
      return ErrorResponse(503, "catalog_unavailable", "the catalog cannot be read or written");
    default:
      return ErrorResponse(500, "internal", "internal error");
  }
}

HttpResponse ImageErrorResponse(const Status& status) {
  if (status.code() == ErrorCode::kTooLarge) return ErrorResponse(413, "payload_too_large", status.message());
  // Decoding from memory reads no file: an IoError is the decode budget's wait running out.
  if (status.code() == ErrorCode::kIoError) return ErrorResponse(503, "overloaded", status.message());
  return ErrorResponse(400, "bad_image", "the image cannot be decoded: " + status.message());
}

HttpResponse JsonResponse(int status, const nlohmann::json& value) {
  return JsonTextResponse(status, DumpJson(value));
}

HttpResponse JsonTextResponse(int status, std::string json_text) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(json_text);
  return r;
}

}  // namespace facetag::service

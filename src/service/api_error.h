// The API's error answers: {"error": {"code", "message"}} with the status docs/API.md gives.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "facetag/status.h"
#include "service/http_types.h"

namespace facetag::service {

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);
// Maps a library Status to the closest API error (not found -> 404, bad input -> 400, a damaged
// or unreadable catalog -> 503 catalog_unavailable, ...). Messages from SQLite never reach the
// client: they name tables and statements.
HttpResponse StatusResponse(const Status& status);
// An image that could not be decoded: 400 bad_image (413 for decompression bombs).
HttpResponse ImageErrorResponse(const Status& status);
// The one place JSON answers are serialized (DumpJson: invalid UTF-8 becomes U+FFFD).
HttpResponse JsonResponse(int status, const nlohmann::json& value);
// Text would silently become a JSON string: say JsonTextResponse.
HttpResponse JsonResponse(int status, const char* text) = delete;
HttpResponse JsonResponse(int status, const std::string& text) = delete;
// A fixed answer written as JSON text by hand ({"status":"ok"}).
HttpResponse JsonTextResponse(int status, std::string json_text);

}  // namespace facetag::service

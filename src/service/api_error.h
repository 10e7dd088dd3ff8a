// The API's error answers: {"error": {"code", "message"}} with the status docs/API.md gives.
#pragma once

#include <string>

#include "facetag/status.h"
#include "service/http_types.h"

namespace facetag::service {

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);
// Maps a library Status to the closest API error (not found -> 404, bad input -> 400, ...).
HttpResponse StatusResponse(const Status& status);
// An image that could not be decoded: 400 bad_image (413 for decompression bombs).
HttpResponse ImageErrorResponse(const Status& status);
HttpResponse JsonResponse(int status, const std::string& json_text);

}  // namespace facetag::service

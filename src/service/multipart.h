// multipart/form-data bodies (RFC 7578): the parts with their field names, as views into the
// request body (no copies of images).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "facetag/status.h"

namespace facetag::service {

struct FormPart {
  std::string name;          // the field name
  std::string content_type;  // empty when the part gives none
  std::string_view body;
};

// `content_type` is the request's Content-Type header (it carries the boundary).
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace facetag::service

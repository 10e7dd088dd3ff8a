// The OpenAI chat completions protocol as annotate uses it: the request body, and the reply
// parsed and checked against {caption: string, tags: [string]}.
#pragma once

#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::annotate_internal {

struct ChatRequest {
  std::string model;
  std::string system;
  std::string text;
  std::string image_data_url;  // "data:image/jpeg;base64,..." or empty (no image part)
  bool json_schema = true;     // send response_format with the annotation's JSON schema
};

std::string RequestBody(const ChatRequest& request);

struct Annotation {
  std::string caption;
  std::vector<std::string> tags;
  std::string model;  // as the server names it; empty when it does not say
};

// The reply's choices[0].message.content, parsed as the annotation. Errors (kCorrupt) say what
// was wrong: not JSON, no content, cut off, or not the schema.
Result<Annotation> ParseReply(const std::string& body);

// Just the content check (a plain reply: may be wrapped in a ```json fence).
Result<Annotation> ParseAnnotation(const std::string& content);

}  // namespace facetag::annotate_internal

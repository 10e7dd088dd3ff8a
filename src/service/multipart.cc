#include "service/multipart.h"

#include <algorithm>
#include <cctype>

namespace facetag::service {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of `key=` in a header's parameters, quotes removed.
std::string Parameter(std::string_view header, std::string_view key) {
  const std::string lower = Lower(header);
  size_t pos = 0;
  while ((pos = lower.find(std::string(key) + "=", pos)) != std::string::npos) {
    if (pos == 0 || lower[pos - 1] == ';' || lower[pos - 1] == ' ') break;
    pos += key.size();
  }
  if (pos == std::string::npos) return {};
  std::string_view v = header.substr(pos + key.size() + 1);
  if (!v.empty() && v.front() == '"') {
    const size_t end = v.find('"', 1);
    return std::string(v.substr(1, end == std::string_view::npos ? v.size() - 1 : end - 1));
  }
  const size_t end = v.find(';');
  std::string out(v.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return InvalidArgument("multipart body without a boundary");
  const std::string delimiter = "--" + boundary;
  std::vector<FormPart> parts;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return InvalidArgument("multipart body without its boundary");
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return InvalidArgument("malformed multipart delimiter");
    pos += 2;
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return InvalidArgument("malformed multipart part headers");
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const size_t eol = std::min(headers.find("\r\n"), headers.size());
      const std::string_view line = headers.substr(0, eol);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string name = Lower(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-disposition") part.name = Parameter(value, "name");
        if (name == "content-type") part.content_type = Lower(value);
      }
      headers.remove_prefix(std::min(eol + 2, headers.size()));
    }
    const size_t data = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, data);
    if (next == std::string_view::npos) return InvalidArgument("multipart body is truncated");
    part.body = body.substr(data, next - data);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace facetag::service

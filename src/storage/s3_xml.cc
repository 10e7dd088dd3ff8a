#include "storage/s3_xml.h"

#include <expat.h>

#include <cstdio>
#include <ctime>
#include <memory>

namespace facetag::storage {
namespace {

// Collects the text of every element by its path ("ListBucketResult/Contents/Key"), calling
// `on_end` as each element closes.
class XmlWalk {
 public:
  template <typename OnEnd>
  static Status Run(const std::string& xml, OnEnd on_end) {
    XmlWalk walk;
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                        XML_ParserFree);
    if (!parser) return Internal("cannot create an XML parser");
    struct Context {
      XmlWalk* walk;
      OnEnd* on_end;
    } context{&walk, &on_end};
    XML_SetUserData(parser.get(), &context);
    XML_SetElementHandler(
        parser.get(),
        [](void* data, const XML_Char* name, const XML_Char**) {
          auto* w = static_cast<Context*>(data)->walk;
          w->path_.push_back(LocalName(name));
          w->text_.clear();
        },
        [](void* data, const XML_Char*) {
          auto* c = static_cast<Context*>(data);
          (*c->on_end)(c->walk->Path(), c->walk->text_);
          c->walk->path_.pop_back();
          c->walk->text_.clear();
        });
    XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* s, int len) {
      static_cast<Context*>(data)->walk->text_.append(s, static_cast<size_t>(len));
    });
    if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR) {
      return Corrupt(std::string("the store's answer is not XML: ") +
                     XML_ErrorString(XML_GetErrorCode(parser.get())));
    }
    return Status::Ok();
  }

 private:
  static std::string LocalName(const char* name) {
    std::string s(name);
    const auto colon = s.rfind(':');
    return colon == std::string::npos ? s : s.substr(colon + 1);
  }
  std::string Path() const {
    std::string p;
    for (const auto& part : path_) p += (p.empty() ? "" : "/") + part;
    return p;
  }
  std::vector<std::string> path_;
  std::string text_;
};

}  // namespace

Result<int64_t> ParseIsoTime(const std::string& text) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
                  &consumed) != 6) {
    return Corrupt("not a time: " + text);
  }
  int64_t nanos = 0;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int64_t scale = 100000000;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10)
      nanos += (text[i] - '0') * scale;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) * 1000000000 + nanos;
}

Result<ListPage> ParseListPage(const std::string& xml) {
  ListPage page;
  ListedObject current;
  Status bad;
  Status parsed = XmlWalk::Run(xml, [&](const std::string& path, const std::string& text) {
    if (path == "ListBucketResult/Contents/Key")
      current.key = text;
    else if (path == "ListBucketResult/Contents/Size")
      current.size = std::strtoll(text.c_str(), nullptr, 10);
    else if (path == "ListBucketResult/Contents/ETag") {
      current.etag = text;
      if (current.etag.size() >= 2 && current.etag.front() == '"' && current.etag.back() == '"')
        current.etag = current.etag.substr(1, current.etag.size() - 2);
    } else if (path == "ListBucketResult/Contents/LastModified") {
      auto t = ParseIsoTime(text);
      if (t.ok())
        current.last_modified_ns = *t;
      else if (bad.ok())
        bad = t.status();
    } else if (path == "ListBucketResult/Contents") {
      page.objects.push_back(std::move(current));
      current = {};
    } else if (path == "ListBucketResult/IsTruncated")
      page.truncated = text == "true";
    else if (path == "ListBucketResult/NextContinuationToken")
      page.next_token = text;
  });
  FACETAG_RETURN_IF_ERROR(parsed);
  FACETAG_RETURN_IF_ERROR(bad);
  if (page.truncated && page.next_token.empty())
    return Corrupt("the store said the listing goes on but gave no continuation token");
  return page;
}

S3ErrorBody ParseErrorBody(const std::string& xml) {
  S3ErrorBody out;
  (void)XmlWalk::Run(xml, [&](const std::string& path, const std::string& text) {
    if (path == "Error/Code")
      out.code = text;
    else if (path == "Error/Message")
      out.message = text;
  });
  return out;
}

}  // namespace facetag::storage

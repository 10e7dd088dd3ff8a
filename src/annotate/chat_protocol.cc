#include "annotate/chat_protocol.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace facetag::annotate_internal {
namespace {

using json = nlohmann::json;

// Anything longer is not "a short caption and a few tags": a model that rambles, not an answer.
constexpr size_t kMaxCaptionBytes = 1000;
constexpr size_t kMaxTags = 32;
constexpr size_t kMaxTagBytes = 100;

const json& Schema() {
  static const json kSchema = {
      {"type", "object"},
      {"properties",
       {{"caption", {{"type", "string"}}}, {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
      {"required", {"caption", "tags"}},
      {"additionalProperties", false}};
  return kSchema;
}

std::string Trim(std::string s) {
  const auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

// A reply shown in an error: short, on one line.
std::string Excerpt(const std::string& text) {
  std::string out = text.substr(0, 80);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out + (text.size() > 80 ? "..." : "");
}

}  // namespace

std::string RequestBody(const ChatRequest& r) {
  json user;
  if (r.image_data_url.empty()) {
    user = {{"role", "user"}, {"content", r.text}};
  } else {
    user = {{"role", "user"},
            {"content",
             {{{"type", "text"}, {"text", r.text}},
              {{"type", "image_url"}, {"image_url", {{"url", r.image_data_url}}}}}}};
  }
  json body = {{"model", r.model},
               {"messages", {{{"role", "system"}, {"content", r.system}}, user}},
               {"temperature", 0.2},
               {"max_tokens", 400},
               {"stream", false}};
  if (r.json_schema) {
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema", {{"name", "photo_annotation"}, {"strict", true}, {"schema", Schema()}}}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Annotation> ParseAnnotation(const std::string& content_in) {
  std::string content = Trim(content_in);
  // A plain reply often comes fenced as Markdown code.
  if (content.rfind("```", 0) == 0) {
    const size_t first_line = content.find('\n');
    const size_t fence = content.rfind("```");
    if (first_line != std::string::npos && fence > first_line)
      content = content.substr(first_line + 1, fence - first_line - 1);
  }
  const json j = json::parse(content, nullptr, false);
  if (j.is_discarded()) return Corrupt("the model's answer is not valid JSON: \"" + Excerpt(content) + "\"");
  if (!j.is_object()) return Corrupt("the model's answer is not a JSON object: \"" + Excerpt(content) + "\"");
  for (const auto& [key, value] : j.items()) {
    if (key != "caption" && key != "tags")
      return Corrupt("the model's answer does not match {caption, tags}: unexpected \"" + Excerpt(key) +
                     "\"");
  }
  if (!j.contains("caption") || !j["caption"].is_string())
    return Corrupt("the model's answer does not match {caption, tags}: \"caption\" is not a string");
  if (!j.contains("tags") || !j["tags"].is_array())
    return Corrupt("the model's answer does not match {caption, tags}: \"tags\" is not an array");
  Annotation a;
  a.caption = Trim(j["caption"].get<std::string>());
  if (a.caption.empty()) return Corrupt("the model's answer has an empty caption");
  if (a.caption.size() > kMaxCaptionBytes) return Corrupt("the model's caption is too long to be one");
  if (j["tags"].size() > kMaxTags) return Corrupt("the model's answer has too many tags");
  for (const auto& t : j["tags"]) {
    if (!t.is_string())
      return Corrupt("the model's answer does not match {caption, tags}: a tag is not a string");
    std::string tag = Trim(t.get<std::string>());
    if (tag.size() > kMaxTagBytes) return Corrupt("the model's answer has a tag too long to be one");
    if (!tag.empty() && std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) a.tags.push_back(tag);
  }
  return a;
}

Result<Annotation> ParseReply(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    return Corrupt("the server's reply is not valid JSON (" + std::to_string(body.size()) + " bytes)");
  if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() ||
      !j["choices"][0].is_object()) {
    return Corrupt("the server's reply has no choices");
  }
  const json& choice = j["choices"][0];
  if (choice.value("finish_reason", json()).is_string() && choice["finish_reason"] == "length")
    return Corrupt("the model's answer was cut off (finish_reason \"length\")");
  const json* content = nullptr;
  if (choice.contains("message") && choice["message"].is_object() && choice["message"].contains("content"))
    content = &choice["message"]["content"];
  if (content == nullptr || !content->is_string())
    return Corrupt("the server's reply has no message content");
  auto a = ParseAnnotation(content->get<std::string>());
  if (!a.ok()) return a.status();
  if (j.contains("model") && j["model"].is_string()) a->model = j["model"].get<std::string>();
  return a;
}

}  // namespace facetag::annotate_internal

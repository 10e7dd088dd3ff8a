// The request annotate sends and how it reads the reply: JSON schema, image part, validation.
#include "annotate/chat_protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace facetag::annotate_internal {
namespace {

using json = nlohmann::json;

TEST(ChatProtocol, RequestCarriesModelMessagesAndTheSchema) {
  ChatRequest r{"m1", "be brief", "Describe.", "", true};
  const json j = json::parse(RequestBody(r));
  EXPECT_EQ(j["model"], "m1");
  EXPECT_EQ(j["messages"][0], (json{{"role", "system"}, {"content", "be brief"}}));
  EXPECT_EQ(j["messages"][1], (json{{"role", "user"}, {"content", "Describe."}}));
  EXPECT_EQ(j["stream"], false);
  EXPECT_EQ(j["response_format"]["type"], "json_schema");
  const json& schema = j["response_format"]["json_schema"]["schema"];
  EXPECT_EQ(schema["required"], json::array({"caption", "tags"}));
  EXPECT_EQ(schema["properties"]["tags"]["items"]["type"], "string");
  EXPECT_EQ(schema["additionalProperties"], false);
  r.json_schema = false;
  EXPECT_FALSE(json::parse(RequestBody(r)).contains("response_format"));
}

TEST(ChatProtocol, AnImageIsAContentPart) {
  ChatRequest r{"m1", "s", "Describe this photo.", "data:image/jpeg;base64,AAAA", true};
  const json user = json::parse(RequestBody(r))["messages"][1];
  ASSERT_TRUE(user["content"].is_array());
  EXPECT_EQ(user["content"][0], (json{{"type", "text"}, {"text", "Describe this photo."}}));
  EXPECT_EQ(user["content"][1]["type"], "image_url");
  EXPECT_EQ(user["content"][1]["image_url"]["url"], "data:image/jpeg;base64,AAAA");
}

std::string Reply(const json& content, const std::string& finish = "stop") {
  return json{
      {"model", "served-model"},
      {"choices", {{{"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", finish}}}}}
      .dump();
}

TEST(ChatProtocol, ReadsAValidAnswer) {
  auto a = ParseReply(
      Reply(R"({"caption": " Two friends at a party. ", "tags": ["party", "friends", "party", " "]})"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caption, "Two friends at a party.");
  EXPECT_EQ(a->tags, (std::vector<std::string>{"party", "friends"}));
  EXPECT_EQ(a->model, "served-model");
}

TEST(ChatProtocol, ReadsAPlainAnswerInACodeFence) {
  auto a = ParseReply(Reply("```json\n{\"caption\": \"A cat.\", \"tags\": [\"cat\"]}\n```"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caption, "A cat.");
}

TEST(ChatProtocol, RefusesWhatIsNotTheSchema) {
  const auto error = [](const std::string& body) {
    auto a = ParseReply(body);
    EXPECT_FALSE(a.ok()) << body;
    if (a.ok()) return std::string();
    EXPECT_EQ(a.status().code(), ErrorCode::kCorrupt);
    return a.status().message();
  };
  EXPECT_NE(error("{\"choices\": [").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error("{}").find("no choices"), std::string::npos);
  EXPECT_NE(error(Reply("Sure! Here is a caption: a cat")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error(Reply("[1, 2]")).find("not a JSON object"), std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": 3, "tags": []})")).find("\"caption\" is not a string"),
            std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "x", "tags": "cat"})")).find("\"tags\" is not an array"),
            std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "x", "tags": [1]})")).find("a tag is not a string"),
            std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "x"})")).find("\"tags\""), std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "x", "tags": [], "mood": "happy"})")).find("unexpected \"mood\""),
            std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "  ", "tags": []})")).find("empty caption"), std::string::npos);
  EXPECT_NE(error(Reply(R"({"caption": "A long", )", "length")).find("cut off"), std::string::npos);
  EXPECT_NE(
      error(json{{"choices", {{{"message", {{"content", nullptr}}}}}}}.dump()).find("no message content"),
      std::string::npos);
  EXPECT_NE(error(Reply(json{{"caption", std::string(2000, 'x')}, {"tags", json::array()}}.dump()))
                .find("too long"),
            std::string::npos);
}

}  // namespace
}  // namespace facetag::annotate_internal

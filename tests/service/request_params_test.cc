// What handlers read from a request (service/request_params.h): ids are digits only, paging
// numbers are digits within their bounds, bodies are JSON objects, and ids in bodies are
// integers. Anything else is "no", which the routes answer 400, 404 or 415.
#include "service/request_params.h"

#include <gtest/gtest.h>

#include <limits>

namespace facetag::service {
namespace {

HttpRequest WithQuery(std::initializer_list<std::pair<const std::string, std::string>> query) {
  HttpRequest r;
  r.query = query;
  return r;
}

TEST(ServiceRequestParams, AnIdIsOneToEighteenDigits) {
  EXPECT_EQ(DecimalId("0"), 0);
  EXPECT_EQ(DecimalId("42"), 42);
  EXPECT_EQ(DecimalId("007"), 7);
  EXPECT_EQ(DecimalId("999999999999999999"), 999999999999999999);
  for (const std::string bad : {"", "-1", "+1", "1e3", "0x10", " 1", "1 ", "12a", "1000000000000000000"})
    EXPECT_FALSE(DecimalId(bad).has_value()) << bad;
}

TEST(ServiceRequestParams, ThePathIdIsReadFromTheRouteParameters) {
  HttpRequest r;
  EXPECT_FALSE(IdParam(r).has_value());
  r.params["id"] = "12";
  EXPECT_EQ(IdParam(r), 12);
  r.params["face"] = "x";
  EXPECT_FALSE(IdParam(r, "face").has_value());
}

TEST(ServiceRequestParams, AnAbsentQueryNumberIsTheFallback) {
  EXPECT_EQ(BoundedQuery(WithQuery({}), "limit", 100, 1, 1000), 100);
}

TEST(ServiceRequestParams, AQueryNumberIsDigitsWithinItsBoundsOrRefused) {
  EXPECT_EQ(BoundedQuery(WithQuery({{"limit", "1"}}), "limit", 100, 1, 1000), 1);
  EXPECT_EQ(BoundedQuery(WithQuery({{"limit", "1000"}}), "limit", 100, 1, 1000), 1000);
  EXPECT_EQ(BoundedQuery(WithQuery({{"offset", "0"}}), "offset", 0, 0, int64_t{1} << 31), 0);
  for (const std::string bad : {"0", "1001", "-1", "1e3", "", "18446744073709551615", "ten"})
    EXPECT_FALSE(BoundedQuery(WithQuery({{"limit", bad}}), "limit", 100, 1, 1000).has_value()) << bad;
}

TEST(ServiceRequestParams, ABodyMustHaveBeenSentAsJson) {
  HttpRequest r;
  r.body = R"({"name":"Ada"})";  // but not parsed by the dispatcher: no JSON content type
  HttpResponse error;
  EXPECT_FALSE(JsonBody(r, &error).has_value());
  EXPECT_EQ(error.status, 415);
  EXPECT_NE(error.body.find("unsupported_media_type"), std::string::npos) << error.body;
}

TEST(ServiceRequestParams, ABodyMustBeAJsonObject) {
  HttpRequest r;
  for (const auto& value : {nlohmann::json::array({1, 2}), nlohmann::json("text"), nlohmann::json(3)}) {
    r.json = std::make_shared<const nlohmann::json>(value);
    HttpResponse error;
    EXPECT_FALSE(JsonBody(r, &error).has_value()) << value.dump();
    EXPECT_EQ(error.status, 400);
    EXPECT_NE(error.body.find("bad_json"), std::string::npos) << error.body;
  }
  r.json = std::make_shared<const nlohmann::json>(nlohmann::json{{"name", "Ada"}});
  HttpResponse error;
  auto body = JsonBody(r, &error);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ((*body)["name"], "Ada");
}

TEST(ServiceRequestParams, AnIdInABodyIsAnIntegerNothingElse) {
  EXPECT_EQ(JsonId(nlohmann::json(7)), 7);
  EXPECT_EQ(JsonId(nlohmann::json(-3)), -3);
  for (const auto& bad : {nlohmann::json("7"), nlohmann::json(7.5), nlohmann::json(nullptr),
                          nlohmann::json(true), nlohmann::json::array({7})})
    EXPECT_FALSE(JsonId(bad).has_value()) << bad.dump();
}

}  // namespace
}  // namespace facetag::service

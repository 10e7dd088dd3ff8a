// Must-show 3: malformed requests each get a clear 4xx JSON error, and the server survives.
#include <zlib.h>

#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

// A real JPEG whose frame header claims 60000 x 60000 pixels.
std::string JpegClaiming60000(std::string jpeg) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    const auto m = static_cast<unsigned char>(jpeg[i + 1]);
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF && (m == 0xC0 || m == 0xC1 || m == 0xC2)) {
      jpeg[i + 5] = jpeg[i + 7] = static_cast<char>(0xEA);
      jpeg[i + 6] = jpeg[i + 8] = static_cast<char>(0x60);
      return jpeg;
    }
  }
  ADD_FAILURE() << "no SOF marker";
  return jpeg;
}

class BadRequests : public ServiceFixture {
 protected:
  // The answer is `status` with {"error": {"code": code, "message": non-empty}}.
  void ExpectError(const HttpAnswer& a, int status, const std::string& code) {
    EXPECT_EQ(a.status, status) << a.body;
    const auto j = Json(a);
    ASSERT_TRUE(j.is_object()) << a.body;
    EXPECT_EQ(j["error"]["code"], code) << a.body;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }
};

TEST_F(BadRequests, ANameOfOnlyDigitsIsRefusedOnCreateAndRename) {
  ASSERT_TRUE(Start().ok());
  const HttpAnswer created =
      HttpFetch(port_, "POST", "/api/v1/persons", "{\"name\": \"42\"}", "application/json");
  ExpectError(created, 400, "bad_request");
  EXPECT_NE(created.body.find("only digits"), std::string::npos) << created.body;
  const HttpAnswer amy =
      HttpFetch(port_, "POST", "/api/v1/persons", "{\"name\": \"Amy\"}", "application/json");
  ASSERT_LT(amy.status, 300) << amy.body;
  const std::string id = std::to_string(nlohmann::json::parse(amy.body)["id"].get<int64_t>());
  const HttpAnswer renamed =
      HttpFetch(port_, "PATCH", "/api/v1/persons/" + id, "{\"name\": \"42\"}", "application/json");
  ExpectError(renamed, 400, "bad_request");
  EXPECT_NE(renamed.body.find("only digits"), std::string::npos) << renamed.body;
}

TEST_F(BadRequests, EachGetsAClearErrorAndTheServerSurvives) {
  options_.max_body_bytes = 4 << 20;
  ASSERT_TRUE(Start().ok());
  const std::string jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  ASSERT_GT(jpeg.size(), 1000u);

  ExpectError(HttpFetch(port_, "POST", "/api/v1/persons", "{\"name\": ", "application/json"), 400,
              "bad_json");
  ExpectError(HttpFetch(port_, "POST", "/api/v1/persons", "[1,2]", "application/json"), 400, "bad_json");
  ExpectError(HttpFetch(port_, "POST", "/api/v1/persons", "{\"name\": 5}", "application/json"), 400,
              "bad_request");
  ExpectError(HttpFetch(port_, "POST", "/api/v1/persons", "name=x", "text/plain"), 415,
              "unsupported_media_type");
  ExpectError(HttpFetch(port_, "POST", "/api/v1/recognize", "{}", "application/json"), 415,
              "unsupported_media_type");
  ExpectError(PostImage("/api/v1/recognize", jpeg.substr(0, jpeg.size() / 3), "image/jpeg"), 400,
              "bad_image");
  std::string noise(50000, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  ExpectError(PostImage("/api/v1/recognize", noise, "image/jpeg"), 400, "bad_image");
  ExpectError(PostImage("/api/v1/recognize", "", "image/jpeg"), 400, "bad_image");
  ExpectError(PostImage("/api/v1/recognize", JpegClaiming60000(jpeg), "image/jpeg"), 413,
              "payload_too_large");
  ExpectError(
      HttpFetch(port_, "POST", "/api/v1/recognize/batch", "garbage", "multipart/form-data; boundary=zz"), 400,
      "bad_request");

  // A 1 GB body announced in the header is refused from the header, without sending it.
  const std::string raw =
      RawExchange(port_,
                  "POST /api/v1/recognize HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                  "Content-Length: 1073741824\r\n\r\n");
  EXPECT_NE(raw.find("HTTP/1.1 413"), std::string::npos) << raw;
  EXPECT_NE(raw.find("payload_too_large"), std::string::npos) << raw;
  // A chunked body has no Content-Length: the limit stops it while it is read.
  const std::string chunked = RawExchange(port_,
                                          "POST /api/v1/recognize HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                          "image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "500000\r\n" +
                                              std::string(0x500000, 'x') + "\r\n0\r\n\r\n");
  EXPECT_NE(chunked.find("HTTP/1.1 413"), std::string::npos) << chunked.substr(0, 200);

  ExpectError(Get("/api/v1/persons/999999"), 404, "not_found");
  ExpectError(Get("/api/v1/persons/abc"), 404, "not_found");
  ExpectError(Get("/api/v1/photos/424242"), 404, "not_found");
  ExpectError(PostJson("/api/v1/faces/77777/move", {{"person", 1}}), 404, "not_found");
  ExpectError(HttpFetch(port_, "PATCH", "/api/v1/persons/31337", "{\"name\":\"x\"}", "application/json"), 404,
              "not_found");
  ExpectError(PostImage("/api/v1/persons/31337/faces", ReadBytes(BbtDir() / "amy/amy1.png")), 404,
              "not_found");
  ExpectError(Get("/api/v1/nothing-here"), 404, "not_found");
  ExpectError(HttpFetch(port_, "DELETE", "/api/v1/recognize"), 405, "method_not_allowed");

  // Paths can never escape the photo roots.
  for (const std::string& path :
       {(dir_ / "photos" / ".." / "..").string(), std::string("/etc"),
        (dir_ / "photos/../catalog.db").string(), std::string("../../etc/passwd")}) {
    ExpectError(PostJson("/api/v1/index", {{"path", path}}), 403, "forbidden_path");
  }
  std::filesystem::create_symlink("/etc", dir_ / "photos" / "escape");
  ExpectError(PostJson("/api/v1/index", {{"path", (dir_ / "photos" / "escape").string()}}), 403,
              "forbidden_path");

  // Still serving, and still recognizing.
  auto health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Json(health)["status"], "ok");
  EXPECT_EQ(PostImage("/api/v1/recognize", jpeg, "image/jpeg").status, 200);
}

}  // namespace
}  // namespace facetag::testing

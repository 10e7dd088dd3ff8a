// `facetag serve --photos s3://BUCKET/PREFIX`: the web UI's index of an S3 root and its photos'
// pixels, with a real `facetag serve` and a real S3-protocol server (s3rver) on loopback.
#include <nlohmann/json.hpp>

#include "catalog/catalog_fixture.h"
#include "cli/child_process.h"
#include "facetag/catalog.h"
#include "service/http_client.h"
#include "support/s3_test_server.h"

namespace facetag::testing {
namespace {

using nlohmann::json;

class ServeS3Photos : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelDirOrFail();
    ASSERT_NO_FATAL_FAILURE(server_.Start());
    for (int i = 1; i <= 3; ++i) {
      const std::string name = "bbt" + std::to_string(i) + ".jpg";
      ASSERT_NO_FATAL_FAILURE(server_.Upload("photos", "bbt/" + name, BbtDir() / name));
    }
    std::string with_store = "exec env";
    for (const auto& kv : server_.Env()) with_store += " '" + kv + "'";
    serve_ = StartLogged({FACETAG_CLI_PATH, "serve", "--db", (dir_.path() / "catalog.db").string(),
                          "--listen", "127.0.0.1:" + std::to_string(port_), "--photos", "s3://photos/bbt/"},
                         dir_.path() / "serve.log", with_store);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (HttpFetch(port_, "GET", "/readyz").status != 200) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "facetag serve did not come up";
      ASSERT_TRUE(serve_->Running()) << "facetag serve exited";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  HttpAnswer StartIndex(const std::string& path) {
    return HttpFetch(port_, "POST", "/api/v1/index", json{{"path", path}}.dump(), "application/json");
  }

  TempDir dir_;
  S3TestServer server_{dir_.path(), {"photos"}};
  uint16_t port_ = static_cast<uint16_t>(FreePort());
  std::unique_ptr<ChildProcess> serve_;
};

TEST_F(ServeS3Photos, IndexesAnS3RootAndServesItsPhotosAndFaces) {
  EXPECT_EQ(StartIndex("s3://photos/bbt-other").status, 403) << "a sibling prefix is not inside the root";
  EXPECT_EQ(StartIndex("s3://elsewhere/bbt").status, 403);
  EXPECT_EQ(StartIndex("/etc").status, 403);

  const HttpAnswer started = StartIndex("s3://photos/bbt");
  ASSERT_EQ(started.status, 202) << started.body;
  json index;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    index = json::parse(HttpFetch(port_, "GET", "/api/v1/index").body, nullptr, false);
  } while (index.value("running", true) && std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(index.value("phase", ""), "done") << index.dump();
  EXPECT_EQ(index["summary"].value("added", 0), 3) << index.dump();
  EXPECT_TRUE(index["summary"]["failures"].empty()) << index.dump();

  // The photos' pixels and the face thumbnails come from the store.
  auto catalog = Catalog::Open(dir_.path() / "catalog.db");
  ASSERT_TRUE(catalog.ok());
  auto exported = (*catalog)->Export();
  ASSERT_TRUE(exported.ok());
  ASSERT_EQ(exported->photos.size(), 3u);
  const ExportPhoto& photo = exported->photos[0];
  EXPECT_EQ(photo.photo.path, "s3://photos/bbt/bbt1.jpg");
  ASSERT_FALSE(photo.faces.empty());
  const HttpAnswer image =
      HttpFetch(port_, "GET", "/api/v1/photos/" + std::to_string(photo.photo.id) + "/image?max=200");
  EXPECT_EQ(image.status, 200) << image.body;
  EXPECT_EQ(image.headers.at("content-type"), "image/jpeg");
  const HttpAnswer thumbnail =
      HttpFetch(port_, "GET", "/api/v1/faces/" + std::to_string(photo.faces[0].id) + "/thumbnail");
  EXPECT_EQ(thumbnail.status, 200) << thumbnail.body;
  EXPECT_EQ(thumbnail.headers.at("content-type"), "image/jpeg");
}

}  // namespace
}  // namespace facetag::testing

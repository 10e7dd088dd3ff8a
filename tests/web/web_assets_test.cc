// The web UI embedded by cmake/EmbedWebAssets.cmake: every file is found at its path with the
// content type a browser needs (a module script served as anything else is refused).
#include "service/web_assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace facetag::service {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::filesystem::path(FACETAG_SOURCE_DIR) / "web" / relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(WebAssets, RootIsTheIndexPage) {
  auto root = FindWebAsset("/");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<script type=\"module\" src=\"/app.js\">"), std::string_view::npos);
  auto index = FindWebAsset("/index.html");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->body.data(), root->body.data());
}

TEST(WebAssets, BodiesAreTheFilesByteForByte) {
  for (const char* file : {"index.html", "app.js", "app.css", "views/people.js", "favicon.svg"}) {
    auto asset = FindWebAsset(std::string("/") + file);
    ASSERT_TRUE(asset.has_value()) << file;
    EXPECT_EQ(asset->body, ReadSource(file)) << file;
  }
}

TEST(WebAssets, ContentTypesFollowTheExtension) {
  EXPECT_EQ(FindWebAsset("/app.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(FindWebAsset("/views/status.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(FindWebAsset("/app.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(FindWebAsset("/favicon.svg")->content_type, "image/svg+xml");
}

TEST(WebAssets, QueryStringIsIgnored) {
  auto asset = FindWebAsset("/app.js?v=2");
  ASSERT_TRUE(asset.has_value());
  EXPECT_EQ(asset->body, FindWebAsset("/app.js")->body);
}

TEST(WebAssets, UnknownPathsAreNotFound) {
  EXPECT_FALSE(FindWebAsset("/missing.js").has_value());
  EXPECT_FALSE(FindWebAsset("/api/v1/persons").has_value());
  EXPECT_FALSE(FindWebAsset("app.js").has_value());  // paths start with '/'
  EXPECT_FALSE(FindWebAsset("/../CMakeLists.txt").has_value());
  EXPECT_FALSE(FindWebAsset("/CMakeLists.txt").has_value());  // the build file is not served
  EXPECT_FALSE(FindWebAsset("/views/").has_value());
}

}  // namespace
}  // namespace facetag::service

// Where the S3 settings come from: the environment first, then the AWS profile files.
#include "storage/s3_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "catalog/catalog_fixture.h"
#include "storage/object_url.h"
#include "storage/s3_xml.h"

namespace facetag::storage {
namespace {

// Clears the AWS variables for one test and puts them back afterwards.
class S3ConfigTest : public ::testing::Test {
 protected:
  static constexpr const char* kNames[] = {
      "AWS_ACCESS_KEY_ID",  "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",           "AWS_REGION",
      "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",      "AWS_ENDPOINT_URL_S3",         "AWS_PROFILE",
      "AWS_CA_BUNDLE",      "AWS_CONFIG_FILE",       "AWS_SHARED_CREDENTIALS_FILE", "FACETAG_S3_PAGE_SIZE"};
  void SetUp() override {
    for (const char* name : kNames) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      ::unsetenv(name);
    }
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", (dir_.path() / "credentials").c_str(), 1);
    ::setenv("AWS_CONFIG_FILE", (dir_.path() / "config").c_str(), 1);
  }
  void TearDown() override {
    for (const char* name : kNames) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  void Write(const char* file, const std::string& text) { std::ofstream(dir_.path() / file) << text; }

  testing::TempDir dir_;
  std::vector<std::pair<std::string, std::string>> saved_;
};

TEST_F(S3ConfigTest, TheEnvironmentNamesKeysEndpointAndRegion) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SECRET", 1);
  ::setenv("AWS_SESSION_TOKEN", "TOKEN", 1);
  ::setenv("AWS_ENDPOINT_URL", "http://minio.local:9000/", 1);
  ::setenv("AWS_REGION", "eu-west-3", 1);
  auto config = S3ConfigFromEnvironment();
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->access_key_id, "AKID");
  EXPECT_EQ(config->secret_access_key, "SECRET");
  EXPECT_EQ(config->session_token, "TOKEN");
  EXPECT_EQ(config->endpoint, "http://minio.local:9000");
  EXPECT_EQ(config->region, "eu-west-3");
  EXPECT_TRUE(config->path_style) << "a store of one's own (MinIO) is addressed path-style";
}

TEST_F(S3ConfigTest, WithoutKeysInTheEnvironmentTheProfileIsRead) {
  Write("credentials",
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = DEFAULTSECRET\n\n"
        "[nas]\naws_access_key_id = NASKEY\naws_secret_access_key = NASSECRET\n");
  Write("config", "[default]\nregion = us-west-2\n[profile nas]\nregion = eu-central-1\n");
  auto config = S3ConfigFromEnvironment();
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->access_key_id, "DEFAULTKEY");
  EXPECT_EQ(config->region, "us-west-2");
  EXPECT_EQ(config->endpoint, "https://s3.us-west-2.amazonaws.com") << "AWS itself, over TLS";
  EXPECT_FALSE(config->path_style);

  ::setenv("AWS_PROFILE", "nas", 1);
  config = S3ConfigFromEnvironment();
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->access_key_id, "NASKEY");
  EXPECT_EQ(config->secret_access_key, "NASSECRET");
  EXPECT_EQ(config->region, "eu-central-1");
}

TEST_F(S3ConfigTest, NoCredentialsAnywhereSaysWhereTheyAreLookedFor) {
  auto config = S3ConfigFromEnvironment();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(config.status().message().find("credentials"), std::string::npos);
}

TEST_F(S3ConfigTest, AnEndpointWithoutSchemeIsRefused) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SECRET", 1);
  ::setenv("AWS_ENDPOINT_URL", "minio.local:9000", 1);
  EXPECT_EQ(S3ConfigFromEnvironment().status().code(), ErrorCode::kInvalidArgument);
}

TEST(ObjectUrl, SplitsBucketAndKey) {
  auto url = ParseObjectUrl("s3://photos/2024/trip/a.jpg");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->bucket, "photos");
  EXPECT_EQ(url->key, "2024/trip/a.jpg");
  EXPECT_EQ(ParseObjectUrl("s3://photos")->key, "");
  EXPECT_FALSE(ParseObjectUrl("s3:///a.jpg").ok()) << "no bucket";
  EXPECT_FALSE(IsObjectUrl("/home/ada/s3://x"));
  EXPECT_EQ(ObjectUrlString("photos", "a b.jpg"), "s3://photos/a b.jpg");
}

TEST(S3Xml, ReadsAListingPageAndAnError) {
  auto page = ParseListPage(
      R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      R"(<IsTruncated>true</IsTruncated><Contents><Key>a &amp; b.jpg</Key><LastModified>2026-12-05T19:53:30.250Z</LastModified>)"
      R"(<ETag>&quot;abc&quot;</ETag><Size>42</Size></Contents><NextContinuationToken>t/2</NextContinuationToken></ListBucketResult>)");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "a & b.jpg");
  EXPECT_EQ(page->objects[0].size, 42);
  EXPECT_EQ(page->objects[0].etag, "abc");
  EXPECT_EQ(page->objects[0].last_modified_ns, 1796500410250000000);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "t/2");
  EXPECT_FALSE(ParseListPage("<ListBucketResult><Contents>").ok()) << "cut short";
  const S3ErrorBody error = ParseErrorBody("<Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>");
  EXPECT_EQ(error.code, "NoSuchBucket");
  EXPECT_EQ(error.message, "gone");
}

}  // namespace
}  // namespace facetag::storage

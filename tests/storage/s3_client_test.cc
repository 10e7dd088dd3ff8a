// The S3 client against a real S3-protocol server on loopback (s3rver, signatures checked).
#include "storage/s3_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "support/s3_test_server.h"

namespace facetag::storage {
namespace {

using testing::S3TestServer;

std::vector<uint8_t> Bytes(const std::string& text) { return {text.begin(), text.end()}; }

std::string GetText(const S3Client& client, const std::string& bucket, const std::string& key,
                    Status* status) {
  std::string got;
  *status = client.Get(bucket, key, [&](const uint8_t* data, size_t size) { got.append(data, data + size); });
  return got;
}

class S3ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }
  testing::TempDir dir_;
  S3TestServer server_{dir_.path(), {"photos"}};
};

TEST_F(S3ClientTest, ReadsBackWhatItWroteUnderAnyKey) {
  const S3Client client = server_.Client();
  // Spaces, non-ASCII and characters SigV4 encodes: the signature covers the encoded path.
  for (const std::string key : {"plain.jpg", "a folder/Zoë's party (1).jpg", "x+y=z&w.jpg"}) {
    ASSERT_TRUE(client.Put("photos", key, Bytes("bytes of " + key), "image/jpeg").ok()) << key;
    Status got;
    EXPECT_EQ(GetText(client, "photos", key, &got), "bytes of " + key);
    EXPECT_TRUE(got.ok()) << got.ToString();
  }
}

TEST_F(S3ClientTest, ListsEveryPageOfAPrefixWithSizeAndTime) {
  S3Config config = server_.Config();
  config.list_page_size = 2;  // 5 objects under the prefix: three pages
  const S3Client client(config);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(
        client.Put("photos", "trip/" + std::to_string(i) + ".jpg", Bytes(std::string(i + 1, 'x')), "").ok());
  ASSERT_TRUE(client.Put("photos", "trip-other/0.jpg", Bytes("not under trip/"), "").ok());
  auto listed = client.List("photos", "trip/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 5u);
  const int64_t now_ns = static_cast<int64_t>(std::time(nullptr)) * 1000000000;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ((*listed)[i].key, "trip/" + std::to_string(i) + ".jpg");
    EXPECT_EQ((*listed)[i].size, i + 1);
    EXPECT_NEAR(static_cast<double>((*listed)[i].last_modified_ns), static_cast<double>(now_ns), 120e9);
    EXPECT_EQ((*listed)[i].etag.size(), 32u) << "an MD5 without its quotes";
  }
}

TEST_F(S3ClientTest, HeadTellsSizeWithoutTheBytes) {
  const S3Client client = server_.Client();
  ASSERT_TRUE(client.Put("photos", "a.jpg", Bytes("12345"), "image/jpeg").ok());
  auto head = client.Head("photos", "a.jpg");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->size, 5);
  EXPECT_GT(head->last_modified_ns, 0);
}

TEST_F(S3ClientTest, AWrongSecretIsAccessDeniedAndTheMessageNeverHoldsIt) {
  const std::string wrong = "wrong-secret-that-must-not-leak";
  const S3Client client(server_.Config(wrong));
  auto listed = client.List("photos", "");
  ASSERT_FALSE(listed.ok());
  const std::string message = listed.status().ToString();
  EXPECT_NE(message.find("access denied"), std::string::npos) << message;
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << message;
  EXPECT_EQ(message.find(wrong), std::string::npos) << message;
  EXPECT_EQ(message.find(S3TestServer::kSecret), std::string::npos) << message;
  EXPECT_FALSE(client.Put("photos", "x.jpg", Bytes("x"), "").ok()) << "a write with a wrong secret";
}

TEST_F(S3ClientTest, TemporaryCredentialsSendTheirSessionTokenSigned) {
  server_.RequireSessionToken("session-token-of-the-day");
  ASSERT_NO_FATAL_FAILURE(server_.Start());
  S3Config config = server_.Config();
  EXPECT_FALSE(S3Client(config).List("photos", "").ok()) << "the server wants a token";
  config.session_token = "session-token-of-the-day";
  auto listed = S3Client(config).List("photos", "");
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
  config.session_token = "yesterdays-token";
  listed = S3Client(config).List("photos", "");
  ASSERT_FALSE(listed.ok());
  EXPECT_NE(listed.status().message().find("access denied"), std::string::npos) << listed.status().ToString();
}

TEST_F(S3ClientTest, AnUnknownKeyIdIsAccessDenied) {
  S3Config config = server_.Config();
  config.access_key_id = "nobody";
  auto listed = S3Client(config).List("photos", "");
  ASSERT_FALSE(listed.ok());
  EXPECT_NE(listed.status().message().find("access denied"), std::string::npos) << listed.status().ToString();
}

TEST_F(S3ClientTest, AMissingBucketOrObjectIsNamed) {
  const S3Client client = server_.Client();
  auto listed = client.List("no-such-bucket", "");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(listed.status().message(), "no such bucket: no-such-bucket");
  Status got;
  GetText(client, "photos", "nothing-here.jpg", &got);
  EXPECT_EQ(got.code(), ErrorCode::kNotFound);
  EXPECT_EQ(got.message(), "no such object: s3://photos/nothing-here.jpg");
  EXPECT_FALSE(IsStoreUnavailable(got)) << "a missing object is the object's problem";
}

TEST_F(S3ClientTest, AStoreThatIsGoneIsUnavailableNotTheObjectsFault) {
  const S3Client client = server_.Client();
  server_.Stop();
  Status got;
  GetText(client, "photos", "a.jpg", &got);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(IsStoreUnavailable(got)) << got.ToString();
  EXPECT_NE(got.message().find("cannot reach " + server_.endpoint()), std::string::npos) << got.ToString();
}

TEST_F(S3ClientTest, DeleteRemovesTheObject) {
  const S3Client client = server_.Client();
  ASSERT_TRUE(client.Put("photos", "gone.jpg", Bytes("x"), "").ok());
  ASSERT_TRUE(client.Delete("photos", "gone.jpg").ok());
  auto listed = client.List("photos", "");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace facetag::storage

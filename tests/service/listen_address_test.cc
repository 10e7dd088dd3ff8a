// Where `facetag serve` may listen (service/listen_address.h): --listen is HOST:PORT or
// [IPV6]:PORT, and only a loopback address may be served without an API key.
#include "service/listen_address.h"

#include <gtest/gtest.h>

namespace facetag::service {
namespace {

TEST(ServiceListenAddress, HostAndPortAreSplitAtTheLastColon) {
  auto a = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto named = ParseListenAddress("photos.local:443");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->host, "photos.local");
  EXPECT_EQ(named->port, 443);
}

TEST(ServiceListenAddress, AnIpv6HostIsWrittenInBracketsWhichAreDropped) {
  auto a = ParseListenAddress("[::1]:9000");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 9000);
  auto any = ParseListenAddress("[::]:80");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "::");
}

TEST(ServiceListenAddress, PortZeroAsksForAFreePort) {
  auto a = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->port, 0);
}

TEST(ServiceListenAddress, ABarePortIsRefusedBecauseTheHostDecidesWhoCanConnect) {
  for (const std::string bare : {"8080", ""}) {
    auto a = ParseListenAddress(bare);
    ASSERT_FALSE(a.ok()) << bare;
    EXPECT_EQ(a.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(a.status().message(), "--listen wants HOST:PORT, got " + bare);
  }
}

TEST(ServiceListenAddress, APortOutsideZeroTo65535OrNotANumberIsRefused) {
  for (const std::string bad :
       {"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:", "127.0.0.1:http", "[::1]:99999999999"}) {
    auto a = ParseListenAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  auto top = ParseListenAddress("127.0.0.1:65535");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->port, 65535);
}

TEST(ServiceListenAddress, ThePortIsDigitsOnlyNothingBeforeOrAfterThem) {
  for (const std::string bad : {"127.0.0.1:80abc", "127.0.0.1: 80", "127.0.0.1:+80", "127.0.0.1:80 ",
                                "127.0.0.1:0x50", "127.0.0.1:8.0"}) {
    auto a = ParseListenAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().message(), "--listen wants HOST:PORT, got " + bad);
  }
  auto padded = ParseListenAddress("127.0.0.1:08080");
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(padded->port, 8080);
}

TEST(ServiceListenAddress, LoopbackIsAll127AddressesIpv6OneAndLocalhost) {
  for (const std::string host : {"127.0.0.1", "127.8.9.10", "::1", "localhost"})
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  for (const std::string host :
       {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "photos.local", "", "128.0.0.1"})
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
}

TEST(ServiceListenAddress, LoopbackNeedsNoApiKey) {
  EXPECT_TRUE(CheckListenCredentials({"127.0.0.1", 8080}, 0).ok());
  EXPECT_TRUE(CheckListenCredentials({"::1", 8080}, 0).ok());
  EXPECT_TRUE(CheckListenCredentials({"localhost", 8080}, 0).ok());
}

TEST(ServiceListenAddress, ANonLoopbackBindWithoutAnApiKeyIsRefusedSayingHowToMakeOne) {
  for (const std::string host : {"0.0.0.0", "::", "192.168.1.10", "photos.local"}) {
    const Status s = CheckListenCredentials({host, 8080}, 0);
    ASSERT_FALSE(s.ok()) << host;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.message().find("refusing to listen on " + host), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("facetag apikey create"), std::string::npos) << s.message();
  }
}

TEST(ServiceListenAddress, ANonLoopbackBindWithAnApiKeyIsAllowed) {
  EXPECT_TRUE(CheckListenCredentials({"0.0.0.0", 8080}, 1).ok());
  EXPECT_TRUE(CheckListenCredentials({"192.168.1.10", 8080}, 3).ok());
}

}  // namespace
}  // namespace facetag::service

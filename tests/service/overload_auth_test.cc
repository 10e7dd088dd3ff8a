// Under overload only 200 or 503 with Retry-After; API keys on non-loopback binds; metrics.
#include <algorithm>
#include <cctype>
#include <thread>

#include "service/api_keys.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

class Operations : public ServiceFixture {};

TEST_F(Operations, FullQueueAnswers503WithRetryAfter) {
  options_.queue_capacity = 2;
  options_.pipeline.workers = 1;
  ASSERT_TRUE(Start().ok());
  const std::string jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  std::atomic<int> ok{0}, overloaded{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 24; ++i) {
    clients.emplace_back([&] {
      auto a = PostImage("/api/v1/recognize", jpeg, "image/jpeg");
      if (a.status == 200) {
        ++ok;
      } else if (a.status == 503 && a.headers.count("retry-after") &&
                 Json(a)["error"]["code"] == "overloaded") {
        ++overloaded;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(overloaded.load(), 1);
  EXPECT_EQ(Get("/healthz").status, 200);
}

// Far below the queue's capacity, a request that would wait longer than max_queue_wait_ms behind
// the others is refused at once: the answered ones stay quick.
TEST_F(Operations, LongWaitsAreRefusedBeforeTheQueueIsFull) {
  options_.queue_capacity = 1000;
  options_.max_queue_wait_ms = 20;
  options_.overload_delay_ms = 0;
  options_.pipeline.workers = 1;
  ASSERT_TRUE(Start().ok());
  const std::string jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  ASSERT_EQ(PostImage("/api/v1/recognize", jpeg, "image/jpeg").status, 200);  // the engine's time is known
  std::atomic<int> ok{0}, overloaded{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 24; ++i) {
    clients.emplace_back([&] {
      auto a = PostImage("/api/v1/recognize", jpeg, "image/jpeg");
      (a.status == 200                                               ? ok
       : a.status == 503 && Json(a)["error"]["code"] == "overloaded" ? overloaded
                                                                     : other)++;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(overloaded.load(), 12) << "24 requests of a group photo each, at most 20 ms of waiting allowed";
}

TEST_F(Operations, NonLoopbackNeedsAKey) {
  options_.listen = "0.0.0.0:0";
  const Status refused = Start();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("apikey create"), std::string::npos) << refused.message();

  service::ApiKeyStore store(service::ApiKeyFile(options_.db));
  auto key = store.Create("test");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(Start().ok());
  EXPECT_EQ(Get("/api/v1/persons").status, 401);
  EXPECT_EQ(HttpFetch(port_, "GET", "/api/v1/persons", "", "", {{"Authorization", "Bearer wrong"}}).status,
            401);
  EXPECT_EQ(HttpFetch(port_, "GET", "/api/v1/persons", "", "", {{"Authorization", "Bearer " + *key}}).status,
            200);
  EXPECT_EQ(
      HttpFetch(port_, "GET", "/api/v1/persons", "", "", {{"Cookie", "a=b; facetag_key=" + *key}}).status,
      200);
  EXPECT_EQ(Get("/healthz").status, 200);  // probes need no key
  // The file holds only hashes.
  EXPECT_EQ(ReadBytes(service::ApiKeyFile(options_.db)).find(*key), std::string::npos);
  Stop();

  auto keys = store.List();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  ASSERT_TRUE(store.Revoke((*keys)[0].id).ok());
  EXPECT_FALSE(Start().ok());  // no key left
}

TEST_F(Operations, MetricsHaveTheDocumentedNames) {
  ASSERT_TRUE(Start().ok());
  EXPECT_EQ(PostImage("/api/v1/recognize", ReadBytes(Bbt() / "amy" / "amy1.png")).status, 200);
  EXPECT_EQ(Get("/api/v1/persons/12345").status, 404);
  EXPECT_EQ(Get("/readyz").status, 200);
  auto status = Get("/api/v1/status");
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(Json(status)["queue"]["capacity"], options_.queue_capacity);
  auto openapi = Get("/api/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  EXPECT_EQ(Json(openapi)["openapi"], "3.0.3");
  auto metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* name :
       {"facetag_http_requests_total{route=\"/api/v1/recognize\",method=\"POST\",status=\"200\"} 1",
        "facetag_http_requests_total{route=\"/api/v1/persons/{id}\",method=\"GET\",status=\"404\"} 1",
        "facetag_http_request_duration_seconds_bucket{route=\"/api/v1/"
        "recognize\",status=\"200\",le=\"+Inf\"} 1",
        "facetag_faces_detected_total 1", "facetag_descriptors_total 1", "facetag_recognitions_total 1",
        "facetag_queue_depth", "facetag_queue_capacity", "facetag_batch_size_bucket",
        "facetag_model_latency_seconds_bucket{model=\"detector\"",
        "facetag_model_latency_seconds_bucket{model=\"descriptor\"", "facetag_rejected_requests_total",
        "facetag_index_files_done", "facetag_index_files_total"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name;
  }
}

}  // namespace
// The OpenAPI document (src/service/openapi.json) is written by hand: every operation it lists
// must be one the server routes, so a renamed or removed route cannot linger in the document.
TEST_F(Operations, EveryDocumentedOperationIsRouted) {
  ASSERT_TRUE(Start().ok());
  auto doc = Json(Get("/api/openapi.json"));
  ASSERT_TRUE(doc.contains("paths"));
  int operations = 0;
  for (const auto& [pattern, methods] : doc["paths"].items()) {
    std::string path = pattern;
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "999999");
    for (const auto& [method, op] : methods.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char ch) { return std::toupper(ch); });
      auto answer = HttpFetch(port_, upper, path, "{}", "application/json");
      SCOPED_TRACE(upper + " " + pattern);
      EXPECT_NE(answer.status, 405);
      EXPECT_EQ(answer.body.find("no such resource"), std::string::npos);
      ++operations;
    }
  }
  EXPECT_GE(operations, 25);
}

}  // namespace facetag::testing

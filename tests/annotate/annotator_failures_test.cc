// What goes wrong between annotate and an endpoint, against the test server: 429 with
// Retry-After, 500 then success, a slow model (timeout), malformed and cut-off answers, a server
// without structured output, refused keys, nobody listening, a file changed since indexing.
#include <chrono>

#include "annotate/annotate_fixture.h"
#include "annotate/chat_client.h"

namespace facetag::testing {
namespace {

using AnnotatorFailures = AnnotateTest;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A handler that answers photo N's k-th request (1-based) with script(N, k).
OpenAiTestServer::Handler Scripted(std::function<FakeReply(int n, int k)> script) {
  auto counts = std::make_shared<std::map<int, int>>();
  auto mu = std::make_shared<std::mutex>();
  return [=](const SeenRequest& r) {
    const int n = PhotoNumber(r);
    int k;
    {
      std::lock_guard lock(*mu);
      k = ++(*counts)[n];
    }
    return script(n, k);
  };
}

FakeReply Good(int n) { return OpenAiTestServer::Annotation("Photo " + std::to_string(n), {"fixture"}); }

TEST_F(AnnotatorFailures, TooManyRequestsWaitsAsRetryAfterSays) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "", false, true}, Scripted([](int n, int k) {
                            if (k > 1) return Good(n);
                            FakeReply r;
                            r.status = 429;
                            r.body = R"({"error": {"message": "slow down"}})";
                            r.headers = {{"Retry-After", "1"}};
                            return r;
                          }));
  const auto start = std::chrono::steady_clock::now();
  const AnnotateSummary s = Run(server);  // backoff 0.05 s: the 1 s wait is the server's
  EXPECT_EQ(s.annotated, 1);
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_GE(Seconds(start), 0.95);
}

TEST_F(AnnotatorFailures, ServerErrorsAreRetriedWithBackoffUntilTheAttemptsRunOut) {
  MakeLibrary(2);
  OpenAiTestServer server({"fixture-model", "", false, true}, Scripted([](int n, int k) {
                            // Photo 1: 500 once, then fine. Photo 2: 503 every time.
                            if (n == 1 && k > 1) return Good(n);
                            FakeReply r;
                            r.status = n == 1 ? 500 : 503;
                            r.body = R"({"error": {"message": "model is loading"}})";
                            return r;
                          }));
  AnnotateOptions o = Options(server);
  o.max_attempts = 3;
  o.backoff_s = 0.2;
  const auto start = std::chrono::steady_clock::now();
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.annotated, 1);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(Errors(s)[2], "the endpoint answered HTTP 503: model is loading");
  EXPECT_EQ(server.requests().size(), 2u + 3u);
  // Photo 2 waited ~0.2 s then ~0.4 s (±20%) between its three attempts.
  EXPECT_GE(Seconds(start), 0.45);
}

TEST_F(AnnotatorFailures, ASlowModelTimesOut) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "", false, true}, [](const SeenRequest& r) {
    FakeReply reply = Good(PhotoNumber(r));
    reply.delay_s = 5;
    return reply;
  });
  AnnotateOptions o = Options(server);
  o.timeout_s = 0.5;
  o.max_attempts = 2;
  const auto start = std::chrono::steady_clock::now();
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(Errors(s)[1], "no answer within 0.5 s (timeout)");
  EXPECT_EQ(server.requests().size(), 2u);  // a timeout is worth another try
  EXPECT_LT(Seconds(start), 3.0);
}

TEST_F(AnnotatorFailures, MalformedAnswersFailTheirPhotoWithAClearError) {
  MakeLibrary(5);
  OpenAiTestServer server({"fixture-model", "", false, true}, Scripted([](int n, int) {
                            switch (n) {
                              case 1:
                                return OpenAiTestServer::Completion("Here you go: a lovely photo!");
                              case 2:
                                return OpenAiTestServer::Completion(R"({"caption": "x", "tags": "beach"})");
                              case 3:
                                return OpenAiTestServer::Completion(R"({"caption": "Two people on a", )",
                                                                    "length");
                              case 4: {
                                FakeReply r;
                                r.body = "<html>Bad gateway</html>";
                                return r;
                              }
                              default:
                                return Good(n);
                            }
                          }));
  const AnnotateSummary s = Run(server);
  EXPECT_EQ(s.annotated, 1);
  EXPECT_EQ(s.failed, 4);
  auto errors = Errors(s);
  EXPECT_EQ(errors[1], "the model's answer is not valid JSON: \"Here you go: a lovely photo!\"");
  EXPECT_EQ(errors[2], "the model's answer does not match {caption, tags}: \"tags\" is not an array");
  EXPECT_EQ(errors[3], "the model's answer was cut off (finish_reason \"length\")");
  EXPECT_EQ(errors[4], "the server's reply is not valid JSON (24 bytes)");
  EXPECT_EQ(server.requests().size(), 5u);  // an answer that is wrong is not asked again
  for (int n = 1; n <= 4; ++n) EXPECT_FALSE(catalog().GetAnnotation(photo_ids_[n - 1])->has_value());
  // The next run asks again about those, and only those.
  const AnnotateSummary again = Run(server);
  EXPECT_EQ(again.up_to_date, 1);
  EXPECT_EQ(server.requests().size(), 9u);
}

TEST_F(AnnotatorFailures, ACutOffReplyIsRetried) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "", false, true}, Scripted([](int n, int k) {
                            FakeReply r = Good(n);
                            if (k == 1) r.cut_after = r.body.size() / 2;  // the connection drops mid-body
                            return r;
                          }));
  const AnnotateSummary s = Run(server);
  EXPECT_EQ(s.annotated, 1);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(AnnotatorFailures, AServerWithoutStructuredOutputGetsAPlainRequest) {
  MakeLibrary(3);
  // This server refuses response_format (400) and answers in a Markdown fence.
  OpenAiTestServer server({"fixture-model", "", false, false}, [](const SeenRequest& r) {
    return OpenAiTestServer::Completion("```json\n{\"caption\": \"Photo " + std::to_string(PhotoNumber(r)) +
                                        "\", \"tags\": [\"plain\"]}\n```");
  });
  AnnotateOptions o = Options(server);
  o.concurrency = 1;
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.annotated, 3);
  // One refusal; the run remembers and sends the rest without it.
  EXPECT_EQ(server.shape_errors(),
            std::vector<std::string>{"response_format is not supported by this server"});
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(AnnotatorFailures, ARefusedKeyIsNotRetriedAndNeverShown) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "sk-right", false, true}, CaptionByNumber());
  AnnotateOptions o = Options(server);
  o.api_key = "sk-wrong-secret";
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(Errors(s)[1], "the endpoint answered HTTP 400: no or wrong API key");
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].authorization, "Bearer sk-wrong-secret");
  EXPECT_EQ(Errors(s)[1].find("sk-wrong"), std::string::npos);
}

TEST_F(AnnotatorFailures, NobodyListening) {
  MakeLibrary(1);
  std::string url;
  {
    OpenAiTestServer gone({"fixture-model", "", false, true}, CaptionByNumber());
    url = gone.url();
  }
  AnnotateOptions o;
  o.endpoint = url;
  o.model = "fixture-model";
  o.max_attempts = 2;
  o.backoff_s = 0.05;
  auto s = AnnotatePhotos(catalog(), {}, o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->failed, 1);
  EXPECT_EQ(Errors(*s)[1].rfind("cannot connect to the endpoint", 0), 0u) << Errors(*s)[1];
}

TEST_F(AnnotatorFailures, AFileChangedSinceIndexingIsNotDescribed) {
  MakeLibrary(2);
  std::ofstream(paths_[1], std::ios::binary | std::ios::app) << "more bytes";
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  const AnnotateSummary s = Run(server);
  EXPECT_EQ(s.annotated, 1);
  EXPECT_EQ(Errors(s)[2], "the file changed since it was indexed (run facetag index first)");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(RetryAfter, SecondsOrAnHttpDate) {
  using annotate_internal::ParseRetryAfter;
  EXPECT_DOUBLE_EQ(ParseRetryAfter("7"), 7);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), 0);  // in the past
  EXPECT_GT(ParseRetryAfter("Fri, 01 Jan 2100 00:00:00 GMT"), 1e9);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("soon"), -1);
  EXPECT_DOUBLE_EQ(ParseRetryAfter(""), -1);
  EXPECT_TRUE(annotate_internal::RetryableStatus(429));
  EXPECT_TRUE(annotate_internal::RetryableStatus(502));
  EXPECT_FALSE(annotate_internal::RetryableStatus(401));
  EXPECT_FALSE(annotate_internal::RetryableStatus(400));
}

}  // namespace
}  // namespace facetag::testing

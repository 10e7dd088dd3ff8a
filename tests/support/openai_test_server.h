// An OpenAI-compatible chat completions server on loopback, inside the test process (no model
// runs on these machines). It checks every request's shape as a strict server would (method,
// path, JSON body, model, messages, response_format, the image part, the Authorization header),
// answers 400 to a malformed one and records why, and otherwise answers what the test's
// handler says: a completion, an error status, a slow answer, a cut-off body.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace facetag::testing {

struct SeenRequest {
  std::string method, target, content_type, authorization;
  std::string body;
  nlohmann::json json;  // the parsed body (discarded when it is not JSON)
  // The user message's text, and the image part's JPEG (decoded from base64) if there is one.
  std::string text;
  std::string image_jpeg;
};

struct FakeReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  double delay_s = 0;                    // before answering (a slow model; past the client's timeout)
  size_t cut_after = std::string::npos;  // send the full Content-Length but only this many body bytes
};

struct ServerExpectations {
  std::string model;            // the model every request must name
  std::string api_key;          // "Authorization: Bearer <key>" required when not empty
  bool image = false;           // the user message must carry an image_url part (and else must not)
  bool response_format = true;  // a json_schema response_format with caption and tags required
};

class OpenAiTestServer {
 public:
  using Handler = std::function<FakeReply(const SeenRequest&)>;
  // `port` 0: any free loopback port.
  OpenAiTestServer(ServerExpectations expect, Handler handler, unsigned short port = 0);
  ~OpenAiTestServer();
  OpenAiTestServer(const OpenAiTestServer&) = delete;
  OpenAiTestServer& operator=(const OpenAiTestServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> requests() const;
  // Why requests were refused as malformed (empty: every request had the right shape).
  std::vector<std::string> shape_errors() const;

  // A chat completion whose message content is `content`.
  static FakeReply Completion(const std::string& content, const std::string& finish_reason = "stop",
                              const std::string& model = "fixture-model");
  // The annotation {caption, tags} as a completion.
  static FakeReply Annotation(const std::string& caption, const std::vector<std::string>& tags,
                              const std::string& model = "fixture-model");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

}  // namespace facetag::testing

// POSTs to the chat endpoint with libcurl: a per-request timeout, and retries with exponential
// backoff on 429, 5xx, timeouts and dropped connections, honouring Retry-After. One ChatClient
// per thread (it owns a curl handle, whose connection it keeps alive between requests).
#pragma once

#include <atomic>
#include <string>

#include "facetag/status.h"

typedef void CURL;

namespace facetag::annotate_internal {

struct HttpReply {
  long status = 0;
  std::string body;
  double retry_after_s = -1;  // from a Retry-After header; -1: none
};

struct RetryPolicy {
  int max_attempts = 5;
  double backoff_s = 1;
  double max_backoff_s = 60;
};

class ChatClient {
 public:
  // `api_key` empty: no Authorization header. `stop`, when raised, aborts a request in flight
  // and any wait between attempts.
  ChatClient(std::string url, std::string api_key, double timeout_s, const std::atomic<bool>* stop);
  ~ChatClient();
  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // One attempt. A reply of any HTTP status is a value; no reply at all is an error, kIoError
  // (worth retrying) or kInternal (not).
  Result<HttpReply> PostOnce(const std::string& body);

  // Attempts until a reply that is not 408, 429 or 5xx, or `policy.max_attempts` are spent.
  // The last reply (whatever its status) or the last error. `attempts` (optional) counts them.
  Result<HttpReply> Post(const std::string& body, const RetryPolicy& policy, int* attempts = nullptr);

 private:
  bool Stopped() const { return stop_ != nullptr && stop_->load(); }
  std::string url_;
  std::string auth_header_;
  double timeout_s_;
  const std::atomic<bool>* stop_;
  CURL* curl_ = nullptr;
};

// "429 Too Many Requests" style retry decisions, shared with the tests.
bool RetryableStatus(long status);
// Seconds to wait for a Retry-After value (delta-seconds or an HTTP date); -1 when unreadable.
double ParseRetryAfter(const std::string& value);

}  // namespace facetag::annotate_internal

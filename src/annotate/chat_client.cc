#include "annotate/chat_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

namespace facetag::annotate_internal {
namespace {

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  const std::string line(data, size * count);
  static const std::string kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string name = line.substr(0, kName.size());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == kName) {
      std::string value = line.substr(kName.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.pop_back();
      while (!value.empty() && value.front() == ' ') value.erase(value.begin());
      static_cast<HttpReply*>(user)->retry_after_s = ParseRetryAfter(value);
    }
  }
  return size * count;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stop = static_cast<const std::atomic<bool>*>(user);
  return stop != nullptr && stop->load() ? 1 : 0;  // non-zero aborts the transfer
}

// Waits `seconds`, in short steps so that a raised stop flag ends the wait at once.
void SleepUnlessStopped(double seconds, const std::atomic<bool>* stop) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (stop != nullptr && stop->load()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

bool RetryableStatus(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

double ParseRetryAfter(const std::string& value) {
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return value.size() > 9 ? -1 : std::stod(value);
  }
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when == -1) return -1;
  return std::max(0.0, std::difftime(when, std::time(nullptr)));
}

ChatClient::ChatClient(std::string url, std::string api_key, double timeout_s, const std::atomic<bool>* stop)
    : url_(std::move(url)), timeout_s_(timeout_s), stop_(stop) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!api_key.empty()) auth_header_ = "Authorization: Bearer " + api_key;
  curl_ = curl_easy_init();
}

ChatClient::~ChatClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

Result<HttpReply> ChatClient::PostOnce(const std::string& body) {
  if (curl_ == nullptr) return Internal("cannot start libcurl");
  CURL* c = curl_;
  curl_easy_reset(c);
  HttpReply reply;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for big image bodies
  if (!auth_header_.empty()) headers = curl_slist_append(headers, auth_header_.c_str());
  const long timeout_ms = std::lround(timeout_s_ * 1000);
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stop_));
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  // Messages name what happened, never the URL (it may carry credentials) or the body.
  switch (rc) {
    case CURLE_OK:
      break;
    case CURLE_OPERATION_TIMEDOUT: {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", timeout_s_);
      return IoError(std::string("no answer within ") + seconds + " s (timeout)");
    }
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return IoError(std::string("cannot connect to the endpoint: ") + curl_easy_strerror(rc));
    case CURLE_ABORTED_BY_CALLBACK:
      return IoError("stopped");
    case CURLE_PARTIAL_FILE:
      return IoError("the reply was cut off (connection closed before its end)");
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
      return IoError(std::string("the connection failed: ") + curl_easy_strerror(rc));
    default:
      return Internal(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Result<HttpReply> ChatClient::Post(const std::string& body, const RetryPolicy& policy, int* attempts) {
  thread_local std::mt19937 rng{std::random_device{}()};
  Result<HttpReply> last = IoError("no attempt made");
  for (int attempt = 1; attempt <= std::max(1, policy.max_attempts); ++attempt) {
    if (attempts) *attempts = attempt;
    if (Stopped()) return IoError("stopped");
    last = PostOnce(body);
    const bool retry =
        last.ok() ? RetryableStatus(last->status) : last.status().code() == ErrorCode::kIoError;
    if (!retry || attempt == policy.max_attempts || Stopped()) return last;
    // Exponential backoff with jitter (so that N workers do not come back in step), or what the
    // server asked for when it said.
    double wait =
        policy.backoff_s * std::pow(2.0, attempt - 1) * std::uniform_real_distribution<>(0.8, 1.2)(rng);
    if (last.ok() && last->retry_after_s >= 0) wait = last->retry_after_s;
    SleepUnlessStopped(std::min(wait, policy.max_backoff_s), stop_);
  }
  return last;
}

}  // namespace facetag::annotate_internal

#include "storage/s3_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "facetag/content_hash.h"
#include "storage/object_url.h"

namespace facetag::storage {
namespace {

constexpr char kUnreachable[] = "cannot reach ";

// AWS's UriEncode: unreserved characters stay, the rest is %XX; '/' stays only in a key's path.
std::string UriEncode(const std::string& text, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const auto begin = value.find_first_not_of(" \t");
    const auto end = value.find_last_not_of(" \t\r\n");
    headers->emplace_back(name, begin == std::string::npos ? "" : value.substr(begin, end - begin + 1));
  }
  return size * count;
}

}  // namespace

struct S3Client::Request {
  const char* method = "GET";
  std::string bucket;
  std::string key;
  // Sorted by name: libcurl 7.88 signs the query in the order given, and SigV4 wants it sorted.
  std::vector<std::pair<std::string, std::string>> query;
  std::span<const uint8_t> body;
  std::string content_type;
  const Sink* sink = nullptr;  // the body of a 2xx answer; else kept in Reply::body
};

struct S3Client::Reply {
  CURLcode transport = CURLE_OK;
  std::string transport_error;
  long http = 0;
  std::string body;  // the answer, unless a sink took it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string Header(const std::string& name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return "";
  }
};

S3Client::S3Client(S3Config config) : config_(std::move(config)) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<S3Client> S3Client::FromEnvironment() {
  auto config = S3ConfigFromEnvironment();
  FACETAG_RETURN_IF_ERROR(config.status());
  return S3Client(std::move(*config));
}

S3Client::Reply S3Client::Send(const Request& request) const {
  Reply reply;
  std::string url;
  const std::string path = UriEncode(request.key, true);
  if (config_.path_style) {
    url = config_.endpoint + "/" + request.bucket + (request.key.empty() ? "" : "/" + path);
  } else {
    const auto scheme_end = config_.endpoint.find("://") + 3;
    url = config_.endpoint.substr(0, scheme_end) + request.bucket + "." +
          config_.endpoint.substr(scheme_end) + "/" + path;
  }
  for (size_t i = 0; i < request.query.size(); ++i) {
    url += i == 0 ? '?' : '&';
    url += UriEncode(request.query[i].first, false);
    url += '=';
    url += UriEncode(request.query[i].second, false);
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    reply.transport = CURLE_FAILED_INIT;
    reply.transport_error = "cannot start libcurl";
    return reply;
  }
  CURL* c = curl.get();
  curl_slist* headers = nullptr;
  // S3 wants the payload's hash in a header of its own, signed with the rest.
  headers = curl_slist_append(headers, ("x-amz-content-sha256: " + HashBytes(request.body)).c_str());
  if (!config_.session_token.empty())
    headers = curl_slist_append(headers, ("x-amz-security-token: " + config_.session_token).c_str());
  if (!request.content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for small PUTs
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

  const std::string sigv4 = "aws:amz:" + config_.region + ":s3";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, config_.access_key_id.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, config_.secret_access_key.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  // A store that stops sending for a minute is gone; a slow big photo is not.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  if (!config_.ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config_.ca_bundle.c_str());
  const std::string method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (method == "DELETE") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
  } else if (method == "PUT") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, reinterpret_cast<const char*>(request.body.data()));
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  struct BodyTarget {
    Reply* reply;
    const Sink* sink;
    CURL* curl;
  } target{&reply, request.sink, c};
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) -> size_t {
        auto* t = static_cast<BodyTarget*>(user);
        long http = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &http);
        if (t->sink != nullptr && http >= 200 && http < 300) {
          (*t->sink)(reinterpret_cast<const uint8_t*>(data), size * count);
        } else if (t->reply->body.size() < (1u << 20)) {  // an error or a listing page: bounded
          t->reply->body.append(data, size * count);
        } else if (t->sink == nullptr) {
          return 0;  // a listing page over 1 MiB is not a listing page
        }
        return size * count;
      });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &target);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply.headers);
  reply.transport = curl_easy_perform(c);
  if (reply.transport != CURLE_OK) reply.transport_error = curl_easy_strerror(reply.transport);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.http);
  return reply;
}

Status S3Client::Failure(const Reply& reply, const std::string& bucket, const std::string& key) const {
  const std::string what = ObjectUrlString(bucket, key);
  if (reply.transport != CURLE_OK || reply.http >= 500 || reply.http == 0) {
    const std::string why = reply.transport != CURLE_OK ? reply.transport_error
                                                        : "it answered HTTP " + std::to_string(reply.http);
    return IoError(kUnreachable + config_.endpoint + " (" + what + "): " + why);
  }
  const S3ErrorBody error = ParseErrorBody(reply.body);
  if (error.code == "NoSuchBucket") return NotFound("no such bucket: " + bucket);
  if (error.code == "NoSuchKey" || (reply.http == 404 && error.code.empty()))
    return NotFound("no such object: " + what);
  if (reply.http == 403 || error.code == "InvalidAccessKeyId" || error.code == "SignatureDoesNotMatch") {
    return IoError("access denied to " + what + " (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or " +
                   "the profile's keys; the store said " + (error.code.empty() ? "403" : error.code) + ")");
  }
  return IoError(what + ": the store answered HTTP " + std::to_string(reply.http) +
                 (error.code.empty() ? "" : " " + error.code) +
                 (error.message.empty() ? "" : ": " + error.message));
}

Result<std::vector<ListedObject>> S3Client::List(const std::string& bucket, const std::string& prefix) const {
  std::vector<ListedObject> out;
  std::string token;
  do {
    Request request;
    request.bucket = bucket;
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    request.query.emplace_back("list-type", "2");
    request.query.emplace_back("max-keys", std::to_string(config_.list_page_size));
    if (!prefix.empty()) request.query.emplace_back("prefix", prefix);
    const Reply reply = Send(request);
    if (reply.transport != CURLE_OK || reply.http != 200) return Failure(reply, bucket, prefix);
    auto page = ParseListPage(reply.body);
    if (!page.ok())
      return Corrupt("listing " + ObjectUrlString(bucket, prefix) + ": " + page.status().message());
    for (auto& object : page->objects) out.push_back(std::move(object));
    token = page->truncated ? page->next_token : "";
  } while (!token.empty());
  std::sort(out.begin(), out.end(),
            [](const ListedObject& a, const ListedObject& b) { return a.key < b.key; });
  return out;
}

Status S3Client::Get(const std::string& bucket, const std::string& key, const Sink& sink) const {
  Request request;
  request.bucket = bucket;
  request.key = key;
  request.sink = &sink;
  const Reply reply = Send(request);
  if (reply.transport != CURLE_OK || reply.http != 200) return Failure(reply, bucket, key);
  return Status::Ok();
}

Result<ListedObject> S3Client::Head(const std::string& bucket, const std::string& key) const {
  Request request;
  request.method = "HEAD";
  request.bucket = bucket;
  request.key = key;
  const Reply reply = Send(request);
  if (reply.transport != CURLE_OK || reply.http != 200) return Failure(reply, bucket, key);
  ListedObject out;
  out.key = key;
  out.size = std::strtoll(reply.Header("content-length").c_str(), nullptr, 10);
  out.etag = reply.Header("etag");
  if (out.etag.size() >= 2 && out.etag.front() == '"') out.etag = out.etag.substr(1, out.etag.size() - 2);
  const time_t modified = curl_getdate(reply.Header("last-modified").c_str(), nullptr);
  if (modified > 0) out.last_modified_ns = static_cast<int64_t>(modified) * 1000000000;
  return out;
}

Status S3Client::Put(const std::string& bucket, const std::string& key, std::span<const uint8_t> bytes,
                     const std::string& content_type) const {
  Request request;
  request.method = "PUT";
  request.bucket = bucket;
  request.key = key;
  request.body = bytes;
  request.content_type = content_type;
  const Reply reply = Send(request);
  if (reply.transport != CURLE_OK || reply.http != 200) return Failure(reply, bucket, key);
  return Status::Ok();
}

Status S3Client::Delete(const std::string& bucket, const std::string& key) const {
  Request request;
  request.method = "DELETE";
  request.bucket = bucket;
  request.key = key;
  const Reply reply = Send(request);
  if (reply.transport != CURLE_OK || (reply.http != 204 && reply.http != 200))
    return Failure(reply, bucket, key);
  return Status::Ok();
}

bool IsStoreUnavailable(const Status& status) {
  return !status.ok() && status.code() == ErrorCode::kIoError && status.message().rfind(kUnreachable, 0) == 0;
}

}  // namespace facetag::storage

#include "service/dispatch.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "service/json_body.h"
#include "service/web_assets.h"

namespace facetag::service {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kSessionPath = "/api/v1/session";

struct PresentedKey {
  std::string key;
  bool from_cookie = false;  // the browser sends it by itself: writes need the CSRF token too
};

// "Bearer <key>" or the facetag_key cookie.
PresentedKey FindKey(const HttpRequest& req) {
  const std::string auth = req.Header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) return {auth.substr(7), false};
  const std::string cookies = req.Header("cookie");
  size_t pos = 0;
  while ((pos = cookies.find("facetag_key=", pos)) != std::string::npos) {
    if (pos == 0 || cookies[pos - 1] == ' ' || cookies[pos - 1] == ';') {
      const size_t start = pos + 12;
      return {cookies.substr(start, cookies.find(';', start) - start), true};
    }
    pos += 12;
  }
  return {};
}

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// application/json, with or without parameters, in any case.
bool IsJsonType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return t == "application/json";
}

}  // namespace

void Dispatch(Context& c, const Router& router, const RequestGuard& guard, const ReloadingApiKeys* api_keys,
              HttpRequest& req, Respond respond) {
  const auto t0 = Clock::now();
  HttpRequest* raw = &req;
  auto match = router.Find(*raw);
  const bool api = req.path.rfind("/api/", 0) == 0;
  const bool session_route = req.path == kSessionPath;
  const std::string route = session_route   ? std::string(kSessionPath)
                            : match.handler ? match.route
                                            : (api ? match.route : "/*");
  // Methods are free-form tokens: any other than the known ones is "other", so that made-up
  // methods cannot grow the metrics without bound.
  static const std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                           "PATCH", "DELETE", "OPTIONS"};
  const std::string method = std::find(kMethods.begin(), kMethods.end(), req.method) != kMethods.end()
                                 ? req.method
                                 : std::string("other");
  Respond timed = [&c, route, method, t0, respond = std::move(respond)](HttpResponse r) {
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const std::string status = ",status=\"" + std::to_string(r.status) + "\"";
    c.metrics.Add("facetag_http_requests_total",
                  "route=" + LabelValue(route) + ",method=" + LabelValue(method) + status);
    // By status too: under overload the held 503s would otherwise hide the answered requests' latency.
    c.metrics.Observe("facetag_http_request_duration_seconds", "route=" + LabelValue(route) + status, s);
    respond(std::move(r));
  };
  if (!guard.HostAllowed(req.Header("host")))
    return timed(ErrorResponse(403, "forbidden_host",
                               "this server does not answer to that Host name (see --allowed-host)"));
  if (guard.CrossSiteWrite(req))
    return timed(ErrorResponse(403, "cross_site", "requests from pages of other sites are refused"));
  // The web UI's shell (HTML, scripts, styles, icons) holds nothing private: it loads without
  // a key and then asks for one when the API answers 401.
  if (!match.handler && !match.method_mismatch && !api && (req.method == "GET" || req.method == "HEAD")) {
    if (auto asset = FindWebAsset(req.path)) {
      HttpResponse r;
      r.content_type = std::string(asset->content_type);
      r.body = std::string(asset->body);
      return timed(std::move(r));
    }
  }
  const bool open_route = req.path == "/healthz" || req.path == "/readyz";
  const PresentedKey presented = FindKey(req);
  if (api_keys != nullptr && !open_route && !api_keys->Accepts(presented.key))
    return timed(ErrorResponse(401, "unauthorized", "an API key is required (Authorization: Bearer <key>)"));
  // Only a session of the cookie has (and needs) a CSRF token: without keys there is no
  // session, and an Authorization header is never added by a browser on its own.
  const bool cookie_session = api_keys != nullptr && presented.from_cookie;
  if (cookie_session && ChangesState(req.method) &&
      !guard.csrf().Matches(presented.key, req.Header("x-csrf-token")))
    return timed(ErrorResponse(403, "csrf_token",
                               "a change made with the key cookie needs the session's X-CSRF-Token header "
                               "(GET /api/v1/session gives it)"));
  if (session_route) {
    if (req.method != "GET")
      return timed(ErrorResponse(405, "method_not_allowed", "method not allowed here"));
    HttpResponse r;
    r.content_type = "application/json";
    json body = {{"auth", api_keys == nullptr     ? "none"
                          : presented.from_cookie ? "cookie"
                                                  : "bearer"},
                 {"csrf_token", nullptr}};
    if (cookie_session) {
      const std::string token = guard.csrf().TokenFor(presented.key);
      if (token.empty()) return timed(ErrorResponse(503, "no_entropy", "no random token could be made"));
      body["csrf_token"] = token;
    }
    r.body = body.dump();
    r.headers.emplace_back("Cache-Control", "no-store");
    return timed(std::move(r));
  }
  if (!req.body.empty() && IsJsonType(req.Header("content-type"))) {
    // The one place request bodies become JSON, with the limits of json_body.h: no route can
    // keep or copy a body that could exhaust the stack or the memory.
    auto parsed = ParseJsonLimited(req.body);
    if (!parsed.ok())
      return timed(parsed.status().code() == ErrorCode::kTooLarge
                       ? ErrorResponse(413, "payload_too_large", parsed.status().message())
                       : ErrorResponse(400, "bad_json", parsed.status().message()));
    req.json = std::make_shared<const json>(std::move(*parsed));
  }
  if (match.handler) {
    try {
      (*match.handler)(req, timed);
    } catch (const std::exception&) {
      timed(ErrorResponse(500, "internal", "internal error"));
    }
    return;
  }
  if (match.method_mismatch)
    return timed(ErrorResponse(405, "method_not_allowed", "method not allowed here"));
  timed(ErrorResponse(404, "not_found", "no such resource"));
}

}  // namespace facetag::service

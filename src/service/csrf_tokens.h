// CSRF tokens for the web UI's cookie session. The UI keeps its API key in a cookie (so that
// <img> can load thumbnails), and a browser attaches cookies to requests that other pages make
// too. SameSite=Strict and the Origin checks of request_guard.h stop those in every current
// browser; the token is the defence that does not depend on the browser: a state-changing
// request authenticated by the cookie must also carry X-CSRF-Token, which only a page that can
// read this service's answers (its own) can know. Requests with an Authorization header are not
// sent by browsers on their own and need no token.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace facetag::service {

class CsrfTokens {
 public:
  // The session's token (made on first use: 32 random bytes from OpenSSL, as API keys are).
  // The session is the key in the cookie: every tab with that cookie shares the token, and a
  // restart of the server makes new ones (the UI asks again when a write answers 403 csrf).
  // Empty only when the system has no entropy.
  std::string TokenFor(const std::string& key);
  // Whether `presented` is the session's token, compared in constant time. False when the
  // session has none yet.
  bool Matches(const std::string& key, std::string_view presented) const;

 private:
  static std::string SessionId(const std::string& key);  // sha256: the key itself is not kept
  mutable std::mutex mu_;
  std::map<std::string, std::string> tokens_;  // by SessionId; one per accepted key at most
};

}  // namespace facetag::service

// The HTTP/1.1 server: Boost.Beast on a few IO threads, keep-alive, body limits enforced from
// the headers (a 1 GB Content-Length is refused before a byte of it is read), and handlers that
// answer asynchronously so slow work never holds an IO thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "facetag/status.h"
#include "service/http_types.h"

namespace facetag::service {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  int64_t max_body_bytes = 32 << 20;
  int idle_timeout_s = 60;           // a connection that sends nothing for this long is closed
  int max_header_bytes = 16 * 1024;  // larger request headers get 431
  // Open connections at most (0: 4096). Never more than the open-files limit leaves room for:
  // at the cap, or when accept() finds no file descriptor, the oldest idle keep-alive connection
  // is closed to make room; with none idle, a new connection gets 503 and is closed.
  int max_connections = 0;
};

class HttpServer {
 public:
  // `dispatch` gets every complete request (already within the limits).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   std::function<void(HttpRequest&, Respond)> dispatch);
  ~HttpServer();
  uint16_t port() const;
  int max_connections() const;  // the cap in force
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One request in `bytes` parsed as the server parses requests (same parser, same limits): for
// the fuzz target, which has no sockets.
Result<HttpRequest> ParseRequestBytes(std::string_view bytes, const HttpServerOptions& options);

}  // namespace facetag::service

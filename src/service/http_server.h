// The HTTP/1.1 server: Boost.Beast on a few IO threads, keep-alive, body limits enforced from
// the headers (a 1 GB Content-Length is refused before a byte of it is read), and handlers that
// answer asynchronously so slow work never holds an IO thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "facetag/status.h"
#include "service/http_types.h"

namespace facetag::service {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  int64_t max_body_bytes = 32 << 20;
  int idle_timeout_s = 60;  // a connection that sends nothing for this long is closed
};

class HttpServer {
 public:
  // `dispatch` gets every complete request (already within the limits).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   std::function<void(HttpRequest&, Respond)> dispatch);
  ~HttpServer();
  uint16_t port() const;
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace facetag::service

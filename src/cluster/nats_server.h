// A nats-server child process with JetStream (file storage) and token authorization, for a
// head that was not given a server. It dies with the head (SIGTERM, or the kernel's parent-death
// signal on Linux if the head is killed), and its store survives both.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "facetag/status.h"

namespace facetag::cluster {

struct NatsServerOptions {
  std::filesystem::path dir;  // config, store and log live here
  std::string host = "127.0.0.1";
  int port = 4222;
  std::string token;
};

class NatsServer {
 public:
  // Starts the server and waits until it accepts clients with the token.
  static Result<std::unique_ptr<NatsServer>> Start(const NatsServerOptions& options);
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  const std::string& url() const { return url_; }

 private:
  NatsServer(pid_t pid, std::string url) : pid_(pid), url_(std::move(url)) {}
  pid_t pid_;
  std::string url_;
};

}  // namespace facetag::cluster

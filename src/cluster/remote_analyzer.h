// Analysis through the workers: a request to the workers' queue group (NATS picks one, which
// balances the load), for /recognize and for the head's own index; available while some worker
// heartbeats in the registry.
#pragma once

#include <chrono>
#include <mutex>

#include "cluster/nats_connection.h"
#include "facetag/remote_analyzer.h"

namespace facetag::cluster {

class NatsRemoteAnalyzer : public RemoteAnalyzer {
 public:
  NatsRemoteAnalyzer(NatsConnection& conn, kvStore* workers, int timeout_ms = 30000)
      : conn_(conn), workers_(workers), timeout_ms_(timeout_ms) {}
  bool available() const override;
  // Twice the threads of the workers in the registry: each has one photo analysed and the next
  // on its way.
  int capacity() const override;
  RemoteAnalysis Analyze(std::span<const uint8_t> image_bytes) override;
  // The photo travels inside the request when it is small (kMaxInlineBytes), else by its path.
  RemoteAnalysis AnalyzePhoto(const RemotePhoto& photo) override;

 private:
  void Refresh() const;  // with mu_ held

  NatsConnection& conn_;
  kvStore* workers_;  // not owned
  int timeout_ms_;
  // The registry is asked at most once a second.
  mutable std::mutex mu_;
  mutable std::chrono::steady_clock::time_point checked_{};
  mutable int workers_up_ = 0;
  mutable int threads_ = 0;
};

}  // namespace facetag::cluster

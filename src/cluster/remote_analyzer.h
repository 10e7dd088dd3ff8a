// Online recognition through the workers: a request to the workers' queue group (NATS picks
// one, which balances the load); available while some worker heartbeats in the registry.
#pragma once

#include <chrono>
#include <mutex>

#include "cluster/nats_connection.h"
#include "facetag/service.h"

namespace facetag::cluster {

class NatsRemoteAnalyzer : public RemoteAnalyzer {
 public:
  NatsRemoteAnalyzer(NatsConnection& conn, kvStore* workers, int timeout_ms = 30000)
      : conn_(conn), workers_(workers), timeout_ms_(timeout_ms) {}
  bool available() const override;
  RemoteAnalysis Analyze(std::span<const uint8_t> image_bytes) override;

 private:
  NatsConnection& conn_;
  kvStore* workers_;  // not owned
  int timeout_ms_;
  // The registry is asked at most once a second.
  mutable std::mutex mu_;
  mutable std::chrono::steady_clock::time_point checked_{};
  mutable bool available_ = false;
};

}  // namespace facetag::cluster

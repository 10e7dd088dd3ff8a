// The streams, consumers and bucket the head sets up (idempotently) when it starts.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "cluster/nats_connection.h"

namespace facetag::cluster {

struct TopologyOptions {
  int ack_wait_ms = 30000;
  int max_deliver = 3;
  int worker_ttl_ms = 5000;  // a worker silent this long drops out of the registry
};

Status EnsureTopology(NatsConnection& conn, const TopologyOptions& options);

// The workers registry (key: worker name; value: its heartbeat JSON). Caller destroys it.
Result<kvStore*> OpenWorkersBucket(NatsConnection& conn);
// Every worker's last heartbeat in the registry, one per worker still in it (a heartbeat that is
// not JSON comes back discarded: the worker is there, what it said is not readable).
std::vector<nlohmann::json> ReadHeartbeats(kvStore* workers);

}  // namespace facetag::cluster

// GET /api/v1/status's document: what the catalog holds, the queue, throughput, the index and
// re-grouping jobs, the analysis settings and, on a head, the cluster. Built here once for the
// route and anything else that reports the node's state.
#pragma once

#include <nlohmann/json.hpp>

#include "service/context.h"

namespace facetag::service {

// Reads the catalog (takes catalog_mu) and may ask NATS: call it off the IO threads.
nlohmann::json StatusJson(Context& ctx);

// The head's cluster status (ServiceHooks::cluster_status_json) parsed; null when this node is
// no head or the status cannot be read. May block on NATS.
nlohmann::json ClusterStatus(const Context& ctx);

}  // namespace facetag::service

// The service's Prometheus metrics in one list, so /metrics shows every one (at zero) from the
// start and docs/SERVICE.md's table has one place to be checked against.
#pragma once

#include <nlohmann/json.hpp>

#include "service/metrics.h"

namespace facetag::service {

// Every metric the service updates; a cluster head (`is_head`) adds the cluster's gauges.
void DeclareServiceMetrics(Metrics& metrics, bool is_head);

// The queue's gauges, read when /metrics is scraped rather than on every request.
void RefreshQueueGauges(Metrics& metrics, int depth, int capacity);

// The cluster's gauges from the head's status document (see ClusterStatus); anything but an
// object leaves them as they were.
void RefreshClusterGauges(Metrics& metrics, const nlohmann::json& cluster_status);

}  // namespace facetag::service

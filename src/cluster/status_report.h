// The cluster's state as `facetag cluster status` and GET /api/v1/status show it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cluster/nats_connection.h"
#include "cluster/protocol.h"

namespace facetag::cluster {

Result<std::string> StatusJson(NatsConnection& conn);
// The same as the "cluster" member of GET /api/v1/status (docs/API.md): {"workers": [...],
// "queue_depth", "in_flight", "failed"}.
Result<std::string> ServiceStatusJson(NatsConnection& conn);
// The dead-letter list, oldest first.
Result<std::vector<FailedJobRecord>> FailedJobs(NatsConnection& conn);
// The dead-letter record of one job, if any.
Result<std::optional<FailedJobRecord>> FindFailedJob(NatsConnection& conn, const std::string& job_id);

}  // namespace facetag::cluster

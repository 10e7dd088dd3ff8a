#include "cluster/status_report.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "cluster/topology.h"
#include "facetag/cluster.h"

namespace facetag::cluster {
namespace {

using nlohmann::json;

Result<json> Workers(NatsConnection& conn) {
  auto kv = OpenWorkersBucket(conn);
  FACETAG_RETURN_IF_ERROR(kv.status());
  json out = json::array();
  for (json& beat : ReadHeartbeats(*kv))
    if (!beat.is_discarded()) out.push_back(std::move(beat));
  kvStore_Destroy(*kv);
  return out;
}

}  // namespace

Result<std::vector<FailedJobRecord>> FailedJobs(NatsConnection& conn) {
  jsStreamInfo* si = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&si, conn.js(), kFailedStream, nullptr, &err);
  if (s != NATS_OK) return NatsStatus(s, "the failed jobs list", err);
  const uint64_t first = si->State.FirstSeq, last = si->State.LastSeq, count = si->State.Msgs;
  jsStreamInfo_Destroy(si);
  std::vector<FailedJobRecord> out;
  if (count == 0) return out;
  for (uint64_t seq = first; seq <= last; ++seq) {
    natsMsg* m = nullptr;
    if (js_GetMsg(&m, conn.js(), kFailedStream, seq, nullptr, nullptr) != NATS_OK) continue;  // purged
    auto f = DecodeFailed(MsgData(m));
    natsMsg_Destroy(m);
    if (f.ok()) out.push_back(std::move(*f));
  }
  return out;
}

Result<std::optional<FailedJobRecord>> FindFailedJob(NatsConnection& conn, const std::string& job_id) {
  natsMsg* m = nullptr;
  const std::string subject = kFailedSubjectPrefix + job_id;
  jsErrCode err = static_cast<jsErrCode>(0);
  const natsStatus s = js_GetLastMsg(&m, conn.js(), kFailedStream, subject.c_str(), nullptr, &err);
  if (s == NATS_NOT_FOUND) return std::optional<FailedJobRecord>();
  if (s != NATS_OK) return NatsStatus(s, "the failed jobs list", err);
  auto f = DecodeFailed(MsgData(m));
  natsMsg_Destroy(m);
  FACETAG_RETURN_IF_ERROR(f.status());
  return std::optional<FailedJobRecord>(std::move(*f));
}

namespace {

Result<json> StatusObject(NatsConnection& conn) {
  auto workers = Workers(conn);
  FACETAG_RETURN_IF_ERROR(workers.status());
  jsConsumerInfo* ci = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus s = js_GetConsumerInfo(&ci, conn.js(), kJobsStream, kWorkersConsumer, nullptr, &err);
  if (s != NATS_OK) return NatsStatus(s, "the jobs queue", err);
  const int64_t queued = static_cast<int64_t>(ci->NumPending);
  const int64_t in_flight = ci->NumAckPending;
  const int64_t redelivered = ci->NumRedelivered;
  jsConsumerInfo_Destroy(ci);
  auto results = conn.StreamMessages(kResultsStream);
  FACETAG_RETURN_IF_ERROR(results.status());
  auto failed = FailedJobs(conn);
  FACETAG_RETURN_IF_ERROR(failed.status());
  json failed_json = json::array();
  for (const auto& f : *failed) {
    failed_json.push_back({{"job", f.job_id},
                           {"path", f.path},
                           {"worker", f.worker},
                           {"reason", f.reason},
                           {"deliveries", f.deliveries}});
  }
  double rate = 0;
  for (const auto& w : *workers) rate += w.value("rate", 0.0);
  return json{{"nodes", *workers},           {"workers", workers->size()},
              {"jobs_per_s", rate},          {"queued", queued},
              {"in_flight", in_flight},      {"redelivered", redelivered},
              {"results_waiting", *results}, {"failed", std::move(failed_json)}};
}

}  // namespace

Result<std::string> StatusJson(NatsConnection& conn) {
  auto status = StatusObject(conn);
  FACETAG_RETURN_IF_ERROR(status.status());
  return status->dump();
}

Result<std::string> ServiceStatusJson(NatsConnection& conn) {
  auto status = StatusObject(conn);
  FACETAG_RETURN_IF_ERROR(status.status());
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  json workers = json::array();
  for (const json& n : (*status)["nodes"]) {
    const int64_t seen_ms = n.value("last_seen", now_ms);
    workers.push_back({{"name", n.value("name", "")},
                       {"host", n.value("host", "")},
                       {"threads", n.value("threads", 0)},
                       {"model", n.value("model", "")},
                       {"jobs_done", n.value("jobs_done", 0)},
                       {"jobs_failed", n.value("jobs_failed", 0)},
                       {"recognitions", n.value("recognitions", 0)},
                       {"analyses", n.value("analyses", 0)},
                       {"rate", n.value("rate", 0.0)},
                       {"last_seen_s", std::max<int64_t>(0, now_ms - seen_ms) / 1000.0}});
  }
  return json{{"workers", std::move(workers)},
              {"queue_depth", (*status)["queued"]},
              {"in_flight", (*status)["in_flight"]},
              {"redelivered", (*status)["redelivered"]},
              {"results_waiting", (*status)["results_waiting"]},
              {"failed", (*status)["failed"].size()},
              {"jobs_per_s", (*status)["jobs_per_s"]}}
      .dump();
}

}  // namespace facetag::cluster

namespace facetag {

Result<std::string> ClusterStatusJson(const ClusterEndpoint& head) {
  auto conn = cluster::NatsConnection::Connect(head, "facetag-status");
  FACETAG_RETURN_IF_ERROR(conn.status());
  return cluster::StatusJson(**conn);
}

Result<std::vector<FailedJob>> ListFailedJobs(const ClusterEndpoint& head) {
  auto conn = cluster::NatsConnection::Connect(head, "facetag-jobs");
  FACETAG_RETURN_IF_ERROR(conn.status());
  auto failed = cluster::FailedJobs(**conn);
  FACETAG_RETURN_IF_ERROR(failed.status());
  std::vector<FailedJob> out;
  for (auto& f : *failed) out.push_back({f.job_id, f.path, f.worker, f.reason, f.deliveries});
  return out;
}

}  // namespace facetag

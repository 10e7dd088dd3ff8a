#include "cluster/head_requests.h"

#include <nlohmann/json.hpp>

#include "cluster/protocol.h"
#include "library/index_rules.h"

namespace facetag::cluster {
namespace {

using nlohmann::json;

// The indexer's rules (library/index_rules.h) for one item of `facetag index --head`: done
// when the path is catalogued with this size and mtime (processed, possibly as failed: then
// `failed_error` says why), or when its content is, in which case the path is recorded here.
struct CheckedItem {
  bool done = false;
  std::string failed_error;
};

Result<CheckedItem> CheckOne(Catalog& catalog, const json& item) {
  const std::string path = item.at("path").get<std::string>();
  const FileStat stat{item.at("size").get<int64_t>(), item.at("mtime_ns").get<int64_t>()};
  auto by_stat = library::CheckByStat(catalog, path, stat);
  FACETAG_RETURN_IF_ERROR(by_stat.status());
  if (by_stat->unchanged) return CheckedItem{true, by_stat->failed_error};
  auto reusable = library::ReusablePhotoByContent(catalog, item.value("hash", ""));
  FACETAG_RETURN_IF_ERROR(reusable.status());
  if (*reusable == 0) return CheckedItem{};
  FACETAG_RETURN_IF_ERROR(catalog.RecordPath(*reusable, path, stat));
  return CheckedItem{true, ""};
}

}  // namespace

HeadRequests::~HeadRequests() {
  for (auto* s : subs_) {
    natsSubscription_Unsubscribe(s);
    natsSubscription_Destroy(s);
  }
}

Status HeadRequests::Start() {
  const std::string advisory =
      std::string("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.") + kJobsStream + "." + kWorkersConsumer;
  const std::pair<std::string, natsMsgHandler> handlers[] = {
      {kCheckSubject, &HeadRequests::OnCheck},
      {kFinishSubject, &HeadRequests::OnFinish},
      {advisory, &HeadRequests::OnMaxDeliveries},
  };
  for (const auto& [subject, handler] : handlers) {
    natsSubscription* sub = nullptr;
    const natsStatus s = natsConnection_Subscribe(&sub, conn_.nc(), subject.c_str(), handler, this);
    if (s != NATS_OK) return NatsStatus(s, "subscribe to " + subject);
    subs_.push_back(sub);
  }
  return NatsStatus(natsConnection_Flush(conn_.nc()), "flush");
}

void HeadRequests::Reply(natsMsg* msg, const std::string& text) {
  if (natsMsg_GetReply(msg) != nullptr)
    natsConnection_Publish(conn_.nc(), natsMsg_GetReply(msg), text.data(), static_cast<int>(text.size()));
}

void HeadRequests::OnCheck(natsConnection*, natsSubscription*, natsMsg* msg, void* self_ptr) {
  auto* self = static_cast<HeadRequests*>(self_ptr);
  json answer;
  try {
    const json request = json::parse(MsgData(msg));
    json done = json::array(), failed = json::array();
    std::lock_guard lock(self->catalog_.mu);
    for (const json& item : request.at("items")) {
      auto one = CheckOne(*self->catalog_.catalog, item);
      if (!one.ok()) throw std::runtime_error(one.status().ToString());
      done.push_back(one->done);
      failed.push_back(one->failed_error.empty() ? json(nullptr) : json(one->failed_error));
    }
    answer = {{"done", std::move(done)}, {"failed", std::move(failed)}};
    if (request.value("counts", false)) {
      auto counts = self->catalog_.catalog->GetCounts();
      if (counts.ok()) answer["faces"] = counts->faces;
    }
  } catch (const std::exception& e) {
    answer = {{"error", e.what()}};
  }
  self->Reply(msg, answer.dump());
  natsMsg_Destroy(msg);
}

void HeadRequests::OnFinish(natsConnection*, natsSubscription*, natsMsg* msg, void* self_ptr) {
  auto* self = static_cast<HeadRequests*>(self_ptr);
  json answer;
  try {
    const json request = json::parse(MsgData(msg));
    std::lock_guard lock(self->catalog_.mu);
    Catalog& catalog = *self->catalog_.catalog;
    int64_t missing = 0;
    for (const json& root : request.at("roots")) {
      auto gone = catalog.MarkMissing(root.at("root").get<std::string>(),
                                      root.at("files").get<std::vector<std::string>>());
      if (!gone.ok()) throw std::runtime_error(gone.status().ToString());
      missing += *gone;
    }
    auto report = GroupCatalog(catalog, GroupingMode::kIncremental, self->grouping_);
    if (!report.ok()) throw std::runtime_error(report.status().ToString());
    auto counts = catalog.GetCounts();
    if (!counts.ok()) throw std::runtime_error(counts.status().ToString());
    answer = {{"missing", missing},
              {"new_people", report->stats.new_people},
              {"people", report->stats.people},
              {"faces", report->stats.faces},
              {"counts",
               {{"photos", counts->photos},
                {"failed", counts->failed},
                {"missing", counts->missing},
                {"faces", counts->faces},
                {"assigned_faces", counts->assigned_faces},
                {"people", counts->people}}}};
  } catch (const std::exception& e) {
    answer = {{"error", e.what()}};
  }
  self->Reply(msg, answer.dump());
  natsMsg_Destroy(msg);
}

// Every delivery of a job ended without an answer (the worker died, hung or was cut off each
// time): the job stays in the work queue forever unless someone moves it to the dead letters.
void HeadRequests::OnMaxDeliveries(natsConnection*, natsSubscription*, natsMsg* msg, void* self_ptr) {
  auto* self = static_cast<HeadRequests*>(self_ptr);
  try {
    const json advisory = json::parse(MsgData(msg));
    const uint64_t seq = advisory.at("stream_seq").get<uint64_t>();
    FailedJobRecord f;
    f.deliveries = advisory.value("deliveries", 0);
    f.reason = "no worker finished it in " + std::to_string(f.deliveries) +
               " deliveries (each worker died, hung or was cut off while on it)";
    natsMsg* job_msg = nullptr;
    if (js_GetMsg(&job_msg, self->conn_.js(), kJobsStream, seq, nullptr, nullptr) == NATS_OK) {
      auto job = DecodeJob(MsgData(job_msg));
      natsMsg_Destroy(job_msg);
      f.job_id = job.ok() ? job->id : "seq-" + std::to_string(seq);
      if (job.ok()) f.path = job->path;
      self->conn_.Publish(kFailedSubjectPrefix + f.job_id, EncodeFailed(f));
      js_DeleteMsg(self->conn_.js(), kJobsStream, seq, nullptr, nullptr);
    }
  } catch (const std::exception&) {
    // An advisory we cannot read: nothing to do; the job stays visible in the queue depth.
  }
  natsMsg_Destroy(msg);
}

}  // namespace facetag::cluster

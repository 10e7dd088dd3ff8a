#include "cluster/topology.h"

namespace facetag::cluster {
namespace {

constexpr int64_t kNanosPerMs = 1000000;

// Work-queue streams hold a message until a consumer acks it: exactly the durability a job
// and a result need. File storage survives a restart of the server.
Status EnsureStream(NatsConnection& conn, const char* name, const char* subject, jsRetentionPolicy retention,
                    int64_t max_per_subject) {
  jsStreamInfo* si = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  if (js_GetStreamInfo(&si, conn.js(), name, nullptr, &err) == NATS_OK) {
    jsStreamInfo_Destroy(si);
    return Status::Ok();
  }
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = name;
  const char* subjects[] = {subject};
  cfg.Subjects = subjects;
  cfg.SubjectsLen = 1;
  cfg.Retention = retention;
  cfg.Storage = js_FileStorage;
  cfg.MaxMsgsPerSubject = max_per_subject;
  cfg.Duplicates = 120LL * 1000 * kNanosPerMs;  // an index client's retry is not a second job
  err = static_cast<jsErrCode>(0);
  const natsStatus s = js_AddStream(&si, conn.js(), &cfg, nullptr, &err);
  jsStreamInfo_Destroy(si);
  return NatsStatus(s, std::string("create stream ") + name, err);
}

Status EnsureConsumer(NatsConnection& conn, const char* stream, const char* durable, int ack_wait_ms,
                      int max_deliver) {
  jsConsumerConfig cc;
  jsConsumerConfig_Init(&cc);
  cc.Durable = durable;
  cc.AckPolicy = js_AckExplicit;
  cc.AckWait = static_cast<int64_t>(ack_wait_ms) * kNanosPerMs;
  cc.MaxDeliver = max_deliver;
  cc.MaxAckPending = 100000;
  cc.MaxWaiting = 4096;
  jsConsumerInfo* ci = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus s = js_GetConsumerInfo(&ci, conn.js(), stream, durable, nullptr, &err);
  if (s == NATS_OK) {
    jsConsumerInfo_Destroy(ci);
    // Keep the settings current (ack wait and deliveries may change between head runs).
    err = static_cast<jsErrCode>(0);
    s = js_UpdateConsumer(&ci, conn.js(), stream, &cc, nullptr, &err);
  } else {
    err = static_cast<jsErrCode>(0);
    s = js_AddConsumer(&ci, conn.js(), stream, &cc, nullptr, &err);
  }
  jsConsumerInfo_Destroy(ci);
  return NatsStatus(s, std::string("create consumer ") + durable, err);
}

}  // namespace

Status EnsureTopology(NatsConnection& conn, const TopologyOptions& o) {
  FACETAG_RETURN_IF_ERROR(EnsureStream(conn, kJobsStream, kJobsSubject, js_WorkQueuePolicy, -1));
  FACETAG_RETURN_IF_ERROR(EnsureStream(conn, kResultsStream, kResultsSubject, js_WorkQueuePolicy, -1));
  // The dead-letter list: one record per job id (the latest reason), kept until cleared.
  FACETAG_RETURN_IF_ERROR(EnsureStream(conn, kFailedStream, "facetag.failed.>", js_LimitsPolicy, 1));
  FACETAG_RETURN_IF_ERROR(EnsureConsumer(conn, kJobsStream, kWorkersConsumer, o.ack_wait_ms, o.max_deliver));
  // The head retries a result until the catalog takes it: no delivery limit there.
  FACETAG_RETURN_IF_ERROR(EnsureConsumer(conn, kResultsStream, kHeadConsumer, 60000, -1));
  kvConfig kc;
  kvConfig_Init(&kc);
  kc.Bucket = kWorkersBucket;
  kc.History = 1;
  kc.TTL = static_cast<int64_t>(o.worker_ttl_ms) * kNanosPerMs;
  kc.StorageType = js_MemoryStorage;
  kvStore* kv = nullptr;
  const natsStatus s = js_CreateKeyValue(&kv, conn.js(), &kc);
  kvStore_Destroy(kv);
  return NatsStatus(s, "create the workers bucket");
}

Result<kvStore*> OpenWorkersBucket(NatsConnection& conn) {
  kvStore* kv = nullptr;
  const natsStatus s = js_KeyValue(&kv, conn.js(), kWorkersBucket);
  if (s != NATS_OK) return NatsStatus(s, "workers bucket (is the head up?)");
  return kv;
}

std::vector<nlohmann::json> ReadHeartbeats(kvStore* workers) {
  std::vector<nlohmann::json> beats;
  kvKeysList keys{};
  if (kvStore_Keys(&keys, workers, nullptr) == NATS_OK) {
    for (int i = 0; i < keys.Count; ++i) {
      kvEntry* entry = nullptr;
      if (kvStore_Get(&entry, workers, keys.Keys[i]) != NATS_OK) continue;  // left meanwhile
      const char* value = kvEntry_ValueString(entry);
      beats.push_back(nlohmann::json::parse(value != nullptr ? value : "", nullptr, false));
      kvEntry_Destroy(entry);
    }
  }
  kvKeysList_Destroy(&keys);
  return beats;
}

}  // namespace facetag::cluster

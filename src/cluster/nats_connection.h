// RAII over a NATS connection and its JetStream context, with errors as facetag::Status.
#pragma once

#include <nats/nats.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "facetag/cluster.h"
#include "facetag/status.h"

namespace facetag::cluster {

// Subjects, streams and buckets every node agrees on.
inline constexpr const char* kJobsStream = "FACETAG_JOBS";
inline constexpr const char* kJobsSubject = "facetag.jobs";
inline constexpr const char* kResultsStream = "FACETAG_RESULTS";
inline constexpr const char* kResultsSubject = "facetag.results";
inline constexpr const char* kFailedStream = "FACETAG_FAILED";
inline constexpr const char* kFailedSubjectPrefix = "facetag.failed.";  // + job id
inline constexpr const char* kWorkersConsumer = "workers";
inline constexpr const char* kHeadConsumer = "head";
inline constexpr const char* kWorkersBucket = "facetag_workers";
inline constexpr const char* kCheckSubject = "facetag.head.check";
inline constexpr const char* kFinishSubject = "facetag.head.finish";
inline constexpr const char* kRecognizeSubject = "facetag.recognize";
// A library photo for a worker to analyse now (a Job; the answer a JobResult): the head's own
// index, which commits the answers itself.
inline constexpr const char* kAnalyzeSubject = "facetag.analyze";
inline constexpr const char* kWorkersQueue = "workers";

Status NatsStatus(natsStatus s, const std::string& what, jsErrCode js_error = static_cast<jsErrCode>(0));

// Owns one natsMsg.
struct MsgDeleter {
  void operator()(natsMsg* m) const { natsMsg_Destroy(m); }
};
using MsgPtr = std::unique_ptr<natsMsg, MsgDeleter>;

inline std::string MsgData(natsMsg* m) {
  return std::string(natsMsg_GetData(m), static_cast<size_t>(natsMsg_GetDataLength(m)));
}

class NatsConnection {
 public:
  // Reconnects forever: a head restart or a network cut is waited out, not fatal.
  static Result<std::unique_ptr<NatsConnection>> Connect(const ClusterEndpoint& endpoint,
                                                         const std::string& name);
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  natsConnection* nc() const { return nc_; }
  jsCtx* js() const { return js_; }

  // Stored in the stream before it returns (a JetStream publish with its ack).
  Status Publish(const std::string& subject, const std::string& data, const std::string& msg_id = {});
  Result<MsgPtr> Request(const std::string& subject, const std::string& data, int timeout_ms);
  // Messages waiting in `stream` (not yet acked, for work queues).
  Result<int64_t> StreamMessages(const char* stream);

 private:
  NatsConnection(natsConnection* nc, jsCtx* js) : nc_(nc), js_(js) {}
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace facetag::cluster

#include "cluster/result_applier.h"

#include <cstdio>

#include "cluster/protocol.h"

namespace facetag::cluster {

Status ResultApplier::Start() {
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = kResultsStream;
  so.Consumer = kHeadConsumer;
  so.ManualAck = true;
  jsErrCode err = static_cast<jsErrCode>(0);
  const natsStatus s =
      js_PullSubscribe(&sub_, conn_.js(), kResultsSubject, kHeadConsumer, nullptr, &so, &err);
  if (s != NATS_OK) return NatsStatus(s, "pull results", err);
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void ResultApplier::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (sub_ != nullptr) natsSubscription_Destroy(sub_);
  sub_ = nullptr;
}

void ResultApplier::Loop() {
  while (!stop_.load()) {
    natsMsgList list{};
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = natsSubscription_Fetch(&list, sub_, 256, 500, &err);
    if (s == NATS_TIMEOUT) continue;
    if (s != NATS_OK) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    for (int i = 0; i < list.Count; ++i) Apply(list.Msgs[i]);
    natsMsgList_Destroy(&list);
  }
}

void ResultApplier::Apply(natsMsg* msg) {
  auto result = DecodeResult(MsgData(msg));
  if (!result.ok()) {
    // A result nobody can read will never become readable: keep it in the dead-letter list.
    FailedJobRecord f{"result", "", "", "unreadable result: " + result.status().ToString(), 1};
    conn_.Publish(std::string(kFailedSubjectPrefix) + "unreadable-result", EncodeFailed(f));
    natsMsg_Term(msg, nullptr);
    return;
  }
  if (!result->noop) {
    Status stored;
    {
      std::lock_guard lock(catalog_.mu);
      stored = catalog_.catalog->AddPhotoResult(result->photo, result->faces).status();
    }
    if (!stored.ok()) {
      // The catalog is busy or the disk full: try again later, the result stays in the stream.
      std::fprintf(stderr, "facetag head: cannot store a result (will retry): %s\n",
                   stored.ToString().c_str());
      natsMsg_NakWithDelay(msg, 1000, nullptr);
      return;
    }
    // The job succeeded: an old dead-letter record for it no longer applies.
    jsOptions o;
    jsOptions_Init(&o);
    const std::string subject = kFailedSubjectPrefix + result->job_id;
    o.Stream.Purge.Subject = subject.c_str();
    js_PurgeStream(conn_.js(), kFailedStream, &o, nullptr);
  }
  natsMsg_Ack(msg, nullptr);
  ++applied_;
}

}  // namespace facetag::cluster

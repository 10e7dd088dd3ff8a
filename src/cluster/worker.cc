// A worker: loads the nets once per thread, pulls jobs, publishes results, heartbeats; and
// answers the head's requests: /recognize images, and photos of the head's own index.
//
// A job is acked only after its result is stored in the results stream, so a worker that dies
// at any point loses nothing: the job comes back after the ack wait. A job this worker cannot
// do (the file is unreadable here, the analysis threw) is handed back for another worker; on
// its last delivery it goes to the dead-letter list with the reason. A request the worker cannot
// do is answered with the reason (the head asks another worker or analyses it itself).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cluster/in_progress_ticker.h"
#include "cluster/nats_connection.h"
#include "cluster/protocol.h"
#include "cluster/topology.h"
#include "facetag/cluster.h"
#include "facetag/stop_signal.h"
#include "library/file_content.h"
#include "pipeline/engine_pool.h"

namespace facetag {
namespace {

using namespace cluster;

std::string HostName() {
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  return host;
}

// What a job came to: a result to publish, or a reason it cannot be done here.
struct Outcome {
  std::optional<JobResult> result;
  std::string problem;     // non-empty: no result; retry elsewhere, dead-letter at the end
  bool permanent = false;  // retrying cannot help (malformed job, file changed)
};

class Worker {
 public:
  Worker(const WorkerOptions& options, std::unique_ptr<NatsConnection> conn, const std::atomic<bool>* stop)
      : options_(options), conn_(std::move(conn)), stop_(stop) {}

  Status Run();

 private:
  void PullLoop(FaceEngine* engine, natsSubscription* sub);
  void Handle(FaceEngine* engine, natsMsg* msg);
  // Answers analysis requests that arrive on `sub` (this thread's member of the queue group).
  void AnalyzeLoop(FaceEngine* engine, natsSubscription* sub);
  void Answer(FaceEngine* engine, natsMsg* msg);
  Outcome Process(FaceEngine* engine, const Job& job);
  void DeadLetter(const std::string& job_id, const std::string& path, const std::string& reason,
                  int deliveries);
  void Heartbeat(kvStore* kv);
  static void OnRecognize(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* self);

  const WorkerOptions& options_;
  std::unique_ptr<NatsConnection> conn_;
  const std::atomic<bool>* stop_;
  std::string name_;
  int64_t ack_wait_ms_ = 30000;
  int max_deliver_ = 3;
  std::atomic<int64_t> jobs_done_{0};
  std::atomic<int64_t> jobs_failed_{0};
  std::atomic<int64_t> recognitions_{0};  // /recognize requests answered for the head
  std::atomic<int64_t> analyses_{0};      // photos of the head's own index analysed
  std::mutex recognize_mu_;
  std::unique_ptr<FaceEngine> recognize_engine_;
};

Status Worker::Run() {
  name_ = options_.name.empty() ? HostName() + "-" + std::to_string(::getpid()) : options_.name;
  {
    jsConsumerInfo* ci = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_GetConsumerInfo(&ci, conn_->js(), kJobsStream, kWorkersConsumer, nullptr, &err);
    if (s != NATS_OK) return NatsStatus(s, "the jobs queue (is the head up?)", err);
    ack_wait_ms_ = ci->Config->AckWait / 1000000;
    max_deliver_ = static_cast<int>(ci->Config->MaxDeliver);
    jsConsumerInfo_Destroy(ci);
  }
  const int threads = std::max(1, options_.threads);
  // Photos analyse as every indexer does (facetag/engine.h: ForPhotoLibrary).
  auto engines = pipeline::EnginePool::Open(ForPhotoLibrary(options_.pipeline).engine, threads);
  FACETAG_RETURN_IF_ERROR(engines.status());
  // /recognize requests are often one face crop: the head's own engine fits its detector to
  // each image, and so does the worker's, so answers do not depend on who gave them. It runs
  // beside the pool's engines, with their threads per net.
  EngineOptions engine_options = (*engines)->engine_options();
  engine_options.fit_detector_to_image = true;
  auto recognize_engine = FaceEngine::Open(engine_options);
  if (!recognize_engine.ok())
    return Status(recognize_engine.status().code(),
                  "cannot start the face engine: " + recognize_engine.status().message());
  recognize_engine_ = std::move(*recognize_engine);
  // The head's own index asks for photos one request at a time: as many engines as the jobs
  // have, with a queue-group subscription each, so that NATS spreads requests over threads.
  auto request_engines = pipeline::EnginePool::Open(ForPhotoLibrary(options_.pipeline).engine, threads);
  FACETAG_RETURN_IF_ERROR(request_engines.status());

  auto kv = OpenWorkersBucket(*conn_);
  FACETAG_RETURN_IF_ERROR(kv.status());
  natsSubscription* recognize = nullptr;
  natsStatus s = natsConnection_QueueSubscribe(&recognize, conn_->nc(), kRecognizeSubject, kWorkersQueue,
                                               &Worker::OnRecognize, this);
  if (s != NATS_OK) {
    kvStore_Destroy(*kv);
    return NatsStatus(s, "subscribe to recognition requests");
  }
  std::vector<natsSubscription*> subs, analyze_subs;
  auto unsubscribe_all = [&] {
    for (auto* x : subs) natsSubscription_Destroy(x);
    for (auto* x : analyze_subs) {
      natsSubscription_Unsubscribe(x);
      natsSubscription_Destroy(x);
    }
    natsSubscription_Unsubscribe(recognize);
    natsSubscription_Destroy(recognize);
  };
  for (int i = 0; i < threads; ++i) {
    natsSubscription* sub = nullptr;
    s = natsConnection_QueueSubscribeSync(&sub, conn_->nc(), kAnalyzeSubject, kWorkersQueue);
    if (s != NATS_OK) {
      unsubscribe_all();
      kvStore_Destroy(*kv);
      return NatsStatus(s, "subscribe to analysis requests");
    }
    analyze_subs.push_back(sub);
  }
  for (int i = 0; i < threads; ++i) {
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = kJobsStream;
    so.Consumer = kWorkersConsumer;
    so.ManualAck = true;
    natsSubscription* sub = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    s = js_PullSubscribe(&sub, conn_->js(), kJobsSubject, kWorkersConsumer, nullptr, &so, &err);
    if (s != NATS_OK) {
      unsubscribe_all();
      kvStore_Destroy(*kv);
      return NatsStatus(s, "pull jobs", err);
    }
    subs.push_back(sub);
  }
  std::fprintf(stderr, "facetag worker %s: %d thread(s), pulling jobs\n", name_.c_str(), threads);
  std::thread heartbeat([&] { Heartbeat(*kv); });
  (*engines)->Start([&](FaceEngine& engine, int i) { PullLoop(&engine, subs[i]); });
  (*request_engines)->Start([&](FaceEngine& engine, int i) { AnalyzeLoop(&engine, analyze_subs[i]); });
  (*engines)->Wait();
  (*request_engines)->Wait();
  heartbeat.join();
  unsubscribe_all();
  kvStore_Delete(*kv, name_.c_str());  // leaving: drop out of the registry at once
  kvStore_Destroy(*kv);
  return Status::Ok();
}

void Worker::PullLoop(FaceEngine* engine, natsSubscription* sub) {
  const int batch = std::max(1, options_.fetch_batch);
  while (!stop_->load()) {
    natsMsgList list{};
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = natsSubscription_Fetch(&list, sub, batch, 1000, &err);
    if (s == NATS_TIMEOUT) continue;
    if (s != NATS_OK) {
      // Cut off or the head restarting: the client reconnects by itself; wait a little.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    for (int i = 0; i < list.Count; ++i) Handle(engine, list.Msgs[i]);
    natsMsgList_Destroy(&list);
  }
}

void Worker::Handle(FaceEngine* engine, natsMsg* msg) {
  int deliveries = 1;
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
    deliveries = static_cast<int>(meta->NumDelivered);
    jsMsgMetaData_Destroy(meta);
  }
  auto job = DecodeJob(MsgData(msg));
  Outcome outcome;
  std::string job_id, path;
  if (!job.ok()) {
    outcome.problem = job.status().ToString();
    outcome.permanent = true;
    jsMsgMetaData* m = nullptr;
    job_id = "unparsable";
    if (natsMsg_GetMetaData(&m, msg) == NATS_OK) {
      job_id = "seq-" + std::to_string(m->Sequence.Stream);
      jsMsgMetaData_Destroy(m);
    }
  } else {
    job_id = job->id;
    path = job->path;
    InProgressTicker ticker(msg, std::chrono::milliseconds(std::max<int64_t>(100, ack_wait_ms_ / 3)));
    outcome = Process(engine, *job);
  }
  if (outcome.result) {
    const std::string text = EncodeResult(*outcome.result);
    // The msg id makes a re-publish after a lost ack a no-op in the stream.
    Status published = conn_->Publish(kResultsSubject, text, job_id + ":" + path);
    if (!published.ok()) {
      // Not stored: hand the job back (another try, here or elsewhere).
      natsMsg_NakWithDelay(msg, 500, nullptr);
      return;
    }
    natsMsg_Ack(msg, nullptr);
    ++jobs_done_;
    return;
  }
  if (outcome.permanent || deliveries >= max_deliver_) {
    DeadLetter(job_id, path, outcome.problem, deliveries);
    natsMsg_Term(msg, nullptr);
    ++jobs_failed_;
  } else {
    natsMsg_NakWithDelay(msg, 1000, nullptr);
  }
}

void Worker::AnalyzeLoop(FaceEngine* engine, natsSubscription* sub) {
  while (!stop_->load()) {
    natsMsg* msg = nullptr;
    const natsStatus s = natsSubscription_NextMsg(&msg, sub, 200);
    if (s == NATS_TIMEOUT) continue;
    if (s != NATS_OK) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    Answer(engine, msg);
    natsMsg_Destroy(msg);
  }
}

void Worker::Answer(FaceEngine* engine, natsMsg* msg) {
  if (natsMsg_GetReply(msg) == nullptr) return;  // nobody waits for it
  JobResult answer;
  auto job = DecodeJob(MsgData(msg));
  if (!job.ok()) {
    answer.worker = name_;
    answer.problem = job.status().ToString();
  } else {
    Outcome outcome = Process(engine, *job);
    if (outcome.result) {
      answer = std::move(*outcome.result);
    } else {
      answer.job_id = job->id;
      answer.worker = name_;
      answer.problem = outcome.problem;
    }
  }
  const std::string text = EncodeResult(answer);
  if (natsConnection_Publish(conn_->nc(), natsMsg_GetReply(msg), text.data(),
                             static_cast<int>(text.size())) == NATS_OK &&
      answer.problem.empty())
    ++analyses_;
}

Outcome Worker::Process(FaceEngine* engine, const Job& job) {
  Outcome out;
  JobResult r;
  r.job_id = job.id;
  r.worker = name_;
  if (job.noop) {
    r.noop = true;
    out.result = std::move(r);
    return out;
  }
  library::FileContent content;
  if (!job.inline_bytes.empty()) {
    content.bytes = job.inline_bytes;
    content.hash = HashBytes(content.bytes);
  } else {
    content = library::ReadFileContent(job.path, options_.pipeline.decode.max_file_bytes);
  }
  if (content.hash.empty()) {
    // The index client read it, so this is the node's problem (storage not mounted here?).
    out.problem = "cannot read the photo on worker " + name_ + ": " + content.status.ToString();
    return out;
  }
  if (content.hash != job.id) {
    out.problem = "the file changed after it was queued; index it again";
    out.permanent = true;
    return out;
  }
  PhotoInput& p = r.photo;
  p.path = job.path;
  p.stat = job.stat;
  p.content_hash = content.hash;
  p.processed_by = name_;
  if (!content.status.ok()) {  // too large: the photo's failure, recorded like a local index
    p.status = PhotoStatus::kFailed;
    p.error = content.status.ToString();
    out.result = std::move(r);
    return out;
  }
  PhotoFaces faces;
  try {
    // The EXIF date and place too, as a local index keeps them (the head's own index does).
    DecodeOptions decode = options_.pipeline.decode;
    decode.read_exif_facts = true;
    faces = AnalyzeBytes(*engine, job.path, content.bytes, decode);
  } catch (const std::exception& e) {
    out.problem = std::string("analysis threw: ") + e.what();
    return out;
  }
  p.width = faces.width;
  p.height = faces.height;
  if (!faces.status.ok()) {
    p.status = PhotoStatus::kFailed;
    p.error = faces.status.ToString();
  } else {
    r.faces = std::move(faces.faces);
    r.exif = std::move(faces.exif);
  }
  out.result = std::move(r);
  return out;
}

void Worker::DeadLetter(const std::string& job_id, const std::string& path, const std::string& reason,
                        int deliveries) {
  FailedJobRecord f{job_id, path, name_, reason, deliveries};
  Status s = conn_->Publish(kFailedSubjectPrefix + job_id, EncodeFailed(f));
  if (!s.ok()) std::fprintf(stderr, "facetag worker: cannot record a failed job: %s\n", s.ToString().c_str());
}

void Worker::Heartbeat(kvStore* kv) {
  const std::string host = HostName();
  const char* model = options_.pipeline.engine.detector == DetectorKind::kTiny ? "tiny" : "ssd";
  int64_t last_done = 0;
  double rate = 0;
  auto last = std::chrono::steady_clock::now();
  while (!stop_->load()) {
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    const int64_t done = jobs_done_.load();
    if (dt > 0) rate = 0.5 * rate + 0.5 * static_cast<double>(done - last_done) / dt;
    last_done = done;
    last = now;
    const nlohmann::json beat = {{"name", name_},
                                 {"host", host},
                                 {"threads", options_.threads},
                                 {"model", model},
                                 {"jobs_done", done},
                                 {"jobs_failed", jobs_failed_.load()},
                                 {"recognitions", recognitions_.load()},
                                 {"analyses", analyses_.load()},
                                 {"rate", rate},
                                 {"last_seen", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count()}};
    kvStore_PutString(nullptr, kv, name_.c_str(), beat.dump().c_str());
    for (int i = 0; i < 10 && !stop_->load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Worker::OnRecognize(natsConnection* nc, natsSubscription*, natsMsg* msg, void* self_ptr) {
  auto* self = static_cast<Worker*>(self_ptr);
  const auto* data = reinterpret_cast<const uint8_t*>(natsMsg_GetData(msg));
  PhotoFaces faces;
  {
    std::lock_guard lock(self->recognize_mu_);
    try {
      faces = AnalyzeBytes(*self->recognize_engine_, "request",
                           std::span<const uint8_t>(data, static_cast<size_t>(natsMsg_GetDataLength(msg))),
                           self->options_.pipeline.decode);
    } catch (const std::exception& e) {
      faces.status = Internal(std::string("analysis threw: ") + e.what());
    }
  }
  const std::string answer = EncodePhotoFaces(faces, self->name_);
  if (natsMsg_GetReply(msg) != nullptr && natsConnection_Publish(nc, natsMsg_GetReply(msg), answer.data(),
                                                                 static_cast<int>(answer.size())) == NATS_OK)
    ++self->recognitions_;
  natsMsg_Destroy(msg);
}

}  // namespace

Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop) {
  if (options.head.url.empty()) return InvalidArgument("--head nats://HOST:PORT is required");
  auto conn = NatsConnection::Connect(options.head, "facetag-worker");
  FACETAG_RETURN_IF_ERROR(conn.status());
  Worker worker(options, std::move(*conn), StopFlagOrSignals(stop));
  return worker.Run();
}

}  // namespace facetag

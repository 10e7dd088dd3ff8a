#include "cluster/remote_analyzer.h"

#include <algorithm>

#include "cluster/protocol.h"
#include "cluster/topology.h"

namespace facetag::cluster {

void NatsRemoteAnalyzer::Refresh() const {
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ < std::chrono::seconds(1)) return;
  checked_ = now;
  const auto beats = ReadHeartbeats(workers_);
  workers_up_ = static_cast<int>(beats.size());
  threads_ = 0;
  for (const auto& beat : beats) {
    const int threads = beat.is_object() ? beat.value("threads", 0) : 0;
    threads_ += threads > 0 ? threads : 1;
  }
}

bool NatsRemoteAnalyzer::available() const {
  std::lock_guard lock(mu_);
  Refresh();
  return workers_up_ > 0;
}

int NatsRemoteAnalyzer::capacity() const {
  std::lock_guard lock(mu_);
  Refresh();
  return std::max(2, 2 * threads_);
}

RemoteAnalysis NatsRemoteAnalyzer::Analyze(std::span<const uint8_t> image_bytes) {
  RemoteAnalysis out;
  out.faces.file = "request";
  auto reply = conn_.Request(
      kRecognizeSubject, std::string(reinterpret_cast<const char*>(image_bytes.data()), image_bytes.size()),
      timeout_ms_);
  if (!reply.ok()) {
    out.delivery = out.faces.status = reply.status();
    return out;
  }
  auto faces = DecodePhotoFaces(MsgData(reply->get()), &out.node);
  if (!faces.ok()) {
    out.delivery = out.faces.status = faces.status();
    return out;
  }
  faces->file = out.faces.file;
  out.faces = std::move(*faces);
  return out;
}

RemoteAnalysis NatsRemoteAnalyzer::AnalyzePhoto(const RemotePhoto& photo) {
  RemoteAnalysis out;
  out.faces.file = photo.path;
  Job job;
  job.id = photo.content_hash;
  job.path = photo.path;
  if (photo.bytes.size() <= kMaxInlineBytes) job.inline_bytes.assign(photo.bytes.begin(), photo.bytes.end());
  auto reply = conn_.Request(kAnalyzeSubject, EncodeJob(job), timeout_ms_);
  if (!reply.ok()) {
    out.delivery = reply.status();
    return out;
  }
  auto result = DecodeResult(MsgData(reply->get()));
  if (!result.ok()) {
    out.delivery = result.status();
    return out;
  }
  out.node = result->worker;
  if (!result->problem.empty()) {
    out.delivery = Unsupported(result->problem);
    return out;
  }
  PhotoFaces& faces = out.faces;
  faces.width = result->photo.width;
  faces.height = result->photo.height;
  if (result->photo.status == PhotoStatus::kFailed) faces.status = StatusFromText(result->photo.error);
  faces.faces = std::move(result->faces);
  faces.exif = std::move(result->exif);
  return out;
}

}  // namespace facetag::cluster

#include "cluster/remote_analyzer.h"

#include "cluster/protocol.h"

namespace facetag::cluster {

bool NatsRemoteAnalyzer::available() const {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ < std::chrono::seconds(1)) return available_;
  checked_ = now;
  kvKeysList keys{};
  available_ = kvStore_Keys(&keys, workers_, nullptr) == NATS_OK && keys.Count > 0;
  kvKeysList_Destroy(&keys);
  return available_;
}

RemoteAnalysis NatsRemoteAnalyzer::Analyze(std::span<const uint8_t> image_bytes) {
  RemoteAnalysis out;
  out.faces.file = "request";
  auto reply = conn_.Request(
      kRecognizeSubject, std::string(reinterpret_cast<const char*>(image_bytes.data()), image_bytes.size()),
      timeout_ms_);
  if (!reply.ok()) {
    out.faces.status = reply.status();
    return out;
  }
  auto faces = DecodePhotoFaces(MsgData(reply->get()), &out.node);
  if (!faces.ok()) {
    out.faces.status = faces.status();
    return out;
  }
  faces->file = out.faces.file;
  out.faces = std::move(*faces);
  return out;
}

}  // namespace facetag::cluster

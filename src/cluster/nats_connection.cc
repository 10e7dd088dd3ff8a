#include "cluster/nats_connection.h"

#include <cstdlib>

namespace facetag::cluster {

Status NatsStatus(natsStatus s, const std::string& what, jsErrCode js_error) {
  if (s == NATS_OK) return Status::Ok();
  std::string msg = what + ": " + natsStatus_GetText(s);
  if (js_error != 0) msg += " (JetStream error " + std::to_string(static_cast<int>(js_error)) + ")";
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') msg += std::string(" - ") + last;
  // The network, not a bug: the caller may retry.
  if (s == NATS_TIMEOUT || s == NATS_NO_SERVER || s == NATS_CONNECTION_CLOSED || s == NATS_NO_RESPONDERS)
    return Status(ErrorCode::kIoError, msg);
  return Internal(msg);
}

Result<std::unique_ptr<NatsConnection>> NatsConnection::Connect(const ClusterEndpoint& endpoint,
                                                                const std::string& name) {
  std::string token = endpoint.token;
  if (token.empty()) {
    if (const char* env = std::getenv("FACETAG_CLUSTER_TOKEN")) token = env;
  }
  if (token.empty()) return InvalidArgument("no cluster token: pass --token or set FACETAG_CLUSTER_TOKEN");
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK) s = natsOptions_SetURL(opts, endpoint.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetToken(opts, token.c_str());
  if (s == NATS_OK) s = natsOptions_SetName(opts, name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(opts, false, nullptr, nullptr);
  // Buffer what is published while reconnecting (results, heartbeats) instead of failing.
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(opts, 64 << 20);
  // TLS (a tls:// URL): the server's CA, when it is not in the system store.
  if (const char* ca = std::getenv("FACETAG_CLUSTER_CA"); s == NATS_OK && ca != nullptr && *ca != '\0') {
    s = natsOptions_SetSecure(opts, true);
    if (s == NATS_OK) s = natsOptions_LoadCATrustedCertificates(opts, ca);
  }
  natsConnection* nc = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&nc, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return NatsStatus(s, "cannot connect to " + endpoint.url);
  jsCtx* js = nullptr;
  s = natsConnection_JetStream(&js, nc, nullptr);
  if (s != NATS_OK) {
    natsConnection_Destroy(nc);
    return NatsStatus(s, "JetStream");
  }
  return std::unique_ptr<NatsConnection>(new NatsConnection(nc, js));
}

NatsConnection::~NatsConnection() {
  jsCtx_Destroy(js_);
  if (nc_ != nullptr) {
    natsConnection_FlushTimeout(nc_, 2000);
    natsConnection_Destroy(nc_);
  }
}

Status NatsConnection::Publish(const std::string& subject, const std::string& data,
                               const std::string& msg_id) {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  if (!msg_id.empty()) po.MsgId = msg_id.c_str();
  po.MaxWait = 10000;
  jsPubAck* ack = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus s =
      js_Publish(&ack, js_, subject.c_str(), data.data(), static_cast<int>(data.size()), &po, &err);
  jsPubAck_Destroy(ack);
  return NatsStatus(s, "publish to " + subject, err);
}

Result<MsgPtr> NatsConnection::Request(const std::string& subject, const std::string& data, int timeout_ms) {
  natsMsg* reply = nullptr;
  natsStatus s = natsConnection_Request(&reply, nc_, subject.c_str(), data.data(),
                                        static_cast<int>(data.size()), timeout_ms);
  if (s != NATS_OK) return NatsStatus(s, "request " + subject);
  return MsgPtr(reply);
}

Result<int64_t> NatsConnection::StreamMessages(const char* stream) {
  jsStreamInfo* si = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&si, js_, stream, nullptr, &err);
  if (s != NATS_OK) return NatsStatus(s, std::string("stream info ") + stream, err);
  const int64_t n = static_cast<int64_t>(si->State.Msgs);
  jsStreamInfo_Destroy(si);
  return n;
}

}  // namespace facetag::cluster

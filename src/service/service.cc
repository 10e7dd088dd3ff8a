// RunService: checks where it may listen, opens the catalog and the engines, wires the routes
// and serves until stopped.
#include "facetag/service.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>

#include "facetag/api_keys.h"
#include "facetag/catalog.h"
#include "facetag/events.h"
#include "service/context.h"
#include "service/dispatch.h"
#include "service/http_server.h"
#include "service/listen_address.h"
#include "service/request_guard.h"
#include "service/serve.h"
#include "service/service_engines.h"
#include "service/service_metrics.h"

namespace facetag::service {
namespace {

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') return "facetag";
  return host;
}

std::atomic<bool> g_signalled{false};
void OnSignal(int) { g_signalled = true; }

}  // namespace

Status Serve(const ServeOptions& options, const ServiceHooks& hooks, const std::atomic<bool>* stop,
             std::function<void(uint16_t)> on_listening) {
  auto listen = ParseListenAddress(options.listen);
  FACETAG_RETURN_IF_ERROR(listen.status());
  const std::filesystem::path db = options.db.empty() ? DefaultCatalogPath() : options.db;
  auto keys = ApiKeyStore(ApiKeyFile(db)).List();
  FACETAG_RETURN_IF_ERROR(keys.status());
  FACETAG_RETURN_IF_ERROR(CheckListenCredentials(*listen, keys->size()));
  const bool loopback = IsLoopbackHost(listen->host);
  ReloadingApiKeys api_keys(ApiKeyFile(db), std::move(*keys));
  const RequestGuard guard(listen->host, options.allowed_hosts);

  auto ctx = std::make_unique<Context>();
  ctx->options = options;
  ctx->hooks = hooks;
  ctx->db = db;
  ctx->uploads = std::filesystem::absolute(db).parent_path() / "uploads";
  ctx->decode_budget = std::make_unique<PixelBudget>(options.max_decoding_pixels);
  DeclareServiceMetrics(ctx->metrics, /*is_head=*/static_cast<bool>(hooks.cluster_status_json));
  ctx->node_name = options.node_name.empty() ? HostName() : options.node_name;
  if (Status s = ValidateEventSource(ctx->node_name); !s.ok() || ctx->node_name.empty())
    return InvalidArgument("the node name (--name) must be a short printable text: " + s.message());
  auto catalog = Catalog::Open(db);
  FACETAG_RETURN_IF_ERROR(catalog.status());
  ctx->catalog = std::move(*catalog);
  if (options.events.record) {
    EventRecorderOptions recorder;
    recorder.flush_interval_ms = std::max(1, options.events.flush_ms);
    recorder.retention_ms = options.events.retention_ms;
    auto events = EventRecorder::Open(db, recorder, &ctx->metrics);
    FACETAG_RETURN_IF_ERROR(events.status());
    ctx->events = std::move(*events);
  }
  auto matcher_catalog = Catalog::Open(db);
  FACETAG_RETURN_IF_ERROR(matcher_catalog.status());
  IdentifyOptions identify;
  identify.max_distance = options.match_distance;
  ctx->known = std::make_unique<KnownFaces>(std::move(*matcher_catalog), identify);
  auto workers = OpenServiceEngines(*ctx);
  FACETAG_RETURN_IF_ERROR(workers.status());

  Router router;
  AddOperationRoutes(*ctx, router);
  AddRecognitionRoutes(*ctx, router);
  AddPersonRoutes(*ctx, router);
  AddFaceRoutes(*ctx, router);
  AddIndexRoutes(*ctx, router);
  AddFaceBatchRoutes(*ctx, router);
  AddImageRoutes(*ctx, router);
  AddEventRoutes(*ctx, router);
  AddNamingRoutes(*ctx, router);
  AddRegroupRoutes(*ctx, router);
  AddPhotoRoutes(*ctx, router);

  Context& c = *ctx;
  const ReloadingApiKeys* keys_needed = loopback ? nullptr : &api_keys;
  auto dispatch = [&c, &router, &guard, keys_needed](HttpRequest& req, Respond respond) {
    Dispatch(c, router, guard, keys_needed, req, std::move(respond));
  };

  HttpServerOptions http;
  http.host = listen->host;
  http.port = listen->port;
  http.max_body_bytes = options.max_body_bytes;
  http.max_connections = options.max_connections;
  auto server = HttpServer::Start(http, dispatch);
  FACETAG_RETURN_IF_ERROR(server.status());
  ctx->ready = true;
  std::fprintf(stderr, "facetag: serving on %s:%u (catalog %s, %d engine%s, %s detector%s)\n",
               listen->host.c_str(), static_cast<unsigned>((*server)->port()),
               loopback ? "opened" : "opened, API keys required", *workers, *workers == 1 ? "" : "s",
               options.pipeline.engine.detector == DetectorKind::kTiny ? "tiny" : "ssd",
               ctx->events ? ", recording recognition events" : "");
  if (on_listening) on_listening((*server)->port());
  if (!stop) {
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
  }
  int ticks = 0;
  while (!(stop ? stop->load() : g_signalled.load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (++ticks % 10 == 0) ctx->known->Poll();
    api_keys.ReloadIfChanged();  // a revoked key stops working within ~200 ms
  }
  (*server)->Stop();
  ctx->blocking.join();
  if (ctx->index_thread.joinable()) ctx->index_thread.join();
  if (ctx->regroup_thread.joinable()) ctx->regroup_thread.join();
  ctx->queue.reset();                    // engines before the batcher they use
  if (ctx->events) ctx->events->Stop();  // stores the events still pending
  return Status::Ok();
}

}  // namespace facetag::service

namespace facetag {

Status RunService(const ServeOptions& options, const ServiceHooks& hooks, const std::atomic<bool>* stop) {
  return service::Serve(options, hooks, stop, nullptr);
}

}  // namespace facetag

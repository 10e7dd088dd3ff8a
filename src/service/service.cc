// RunService: opens the catalog and the engines, wires the routes, checks auth, records the
// metrics, and serves until stopped.
#include "facetag/service.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>

#include "facetag/api_keys.h"
#include "facetag/events.h"
#include "facetag/models.h"
#include "pipeline/engine_pool.h"
#include "pipeline/face_steps.h"
#include "service/context.h"
#include "service/dispatch.h"
#include "service/http_server.h"
#include "service/request_guard.h"
#include "service/serve.h"
#include "service/web_assets.h"

namespace facetag::service {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') return "facetag";
  return host;
}

std::atomic<bool> g_signalled{false};
void OnSignal(int) { g_signalled = true; }

void DeclareMetrics(Metrics& m) {
  const std::vector<double> latency = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  m.Declare("facetag_http_requests_total", "counter", "HTTP requests by route, method and status");
  m.Declare("facetag_http_request_duration_seconds", "histogram", "HTTP request latency by route and status",
            latency);
  m.Declare("facetag_faces_detected_total", "counter", "Faces found in request images");
  m.Declare("facetag_descriptors_total", "counter", "Face descriptors computed");
  m.Declare("facetag_recognitions_total", "counter", "Images recognized");
  m.Declare("facetag_remote_recognitions_total", "counter",
            "Images /recognize had analysed by the cluster's workers");
  m.Declare("facetag_remote_failures_total", "counter",
            "Worker analyses that failed and were redone by this server's engine");
  m.Declare("facetag_queue_depth", "gauge", "Requests waiting for an engine");
  m.Declare("facetag_queue_capacity", "gauge", "Requests that may wait for an engine");
  m.Declare("facetag_batch_size", "histogram", "Descriptors per net run", {1, 2, 4, 8, 16, 32, 64});
  m.Declare("facetag_model_latency_seconds", "histogram", "Time in each net per run", latency);
  m.Declare("facetag_rejected_requests_total", "counter",
            "Requests refused (overloaded, timeout, too_large)");
  m.Declare("facetag_index_files_done", "gauge", "Files done by the running index");
  m.Declare("facetag_index_files_total", "gauge", "Files of the running index");
}

json StatusJson(Context& ctx) {
  json catalog = nullptr;
  // What the catalog's photos were analysed with, and what this server's index analyses with.
  json analysis = {{"catalog", nullptr}, {"index", DescribeAnalysis(LibraryAnalysis(ctx))}};
  {
    std::lock_guard lock(ctx.catalog_mu);
    if (auto recorded = ctx.catalog->AnalysisSettings(); recorded.ok() && !recorded->empty())
      analysis["catalog"] = *recorded;
    auto counts = ctx.catalog->GetCounts();
    if (counts.ok())
      catalog = {{"photos", counts->photos},
                 {"failed", counts->failed},
                 {"missing", counts->missing},
                 {"faces", counts->faces},
                 {"people", counts->people}};
  }
  const double uptime = std::chrono::duration<double>(Clock::now() - ctx.started).count();
  const json index = IndexStateJson(ctx);
  json regroup;
  {
    std::lock_guard lock(ctx.index_mu);
    regroup = RegroupJson(ctx.regroup);
  }
  json photo_roots = json::array();  // where POST /index may look (--photos)
  for (const auto& root : ctx.options.photo_roots) photo_roots.push_back(root.string());
  json cluster = nullptr;
  if (ctx.hooks.cluster_status_json) cluster = json::parse(ctx.hooks.cluster_status_json(), nullptr, false);
  if (cluster.is_discarded()) cluster = nullptr;
  return {{"version", "0.1.0"},
          {"uptime_s", uptime},
          {"catalog", catalog},
          {"queue", {{"depth", ctx.queue->depth()}, {"capacity", ctx.queue->capacity()}}},
          {"throughput",
           {{"recognitions_per_s", uptime > 0 ? ctx.recognitions.load() / uptime : 0},
            {"descriptors_per_s", uptime > 0 ? ctx.descriptors.load() / uptime : 0}}},
          {"index", index},
          {"group", regroup},
          {"analysis", analysis},
          {"photo_roots", photo_roots},
          {"cluster", cluster}};
}

void AddOperationRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/healthz",
             [](HttpRequest&, Respond respond) { respond(JsonTextResponse(200, R"({"status":"ok"})")); });
  router.Add("GET", "/readyz", [&ctx](HttpRequest&, Respond respond) {
    if (!ctx.ready) return respond(ErrorResponse(503, "not_ready", "models or catalog not loaded yet"));
    // Ready means the catalog answers now: a damaged or vanished catalog file makes it false.
    boost::asio::post(ctx.blocking, [&ctx, respond] {
      bool usable = false;
      {
        std::lock_guard lock(ctx.catalog_mu);
        usable = ctx.catalog->GetCounts().ok();
      }
      respond(usable ? JsonTextResponse(200, R"({"status":"ready"})")
                     : ErrorResponse(503, "not_ready", "the catalog cannot be read"));
    });
  });
  router.Add("GET", "/metrics", [&ctx](HttpRequest&, Respond respond) {
    ctx.metrics.Set("facetag_queue_depth", "", ctx.queue->depth());
    ctx.metrics.Set("facetag_queue_capacity", "", ctx.queue->capacity());
    auto expose = [&ctx, respond] {
      HttpResponse r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = ctx.metrics.Exposition();
      respond(std::move(r));
    };
    if (!ctx.hooks.cluster_status_json) return expose();
    // A head: the cluster gauges come from NATS, which may block, so off the IO threads.
    boost::asio::post(ctx.blocking, [&ctx, expose] {
      const json cluster = json::parse(ctx.hooks.cluster_status_json(), nullptr, false);
      if (cluster.is_object()) {
        const json& workers = cluster.value("workers", json::array());
        ctx.metrics.Set("facetag_cluster_workers", "", static_cast<double>(workers.size()));
        ctx.metrics.Set("facetag_cluster_queue_depth", "", cluster.value("queue_depth", 0.0));
      }
      expose();
    });
  });
  router.Add("GET", "/api/v1/status", [&ctx](HttpRequest&, Respond respond) {
    boost::asio::post(ctx.blocking, [&ctx, respond] { respond(JsonResponse(200, StatusJson(ctx))); });
  });
  router.Add("GET", "/api/openapi.json",
             [](HttpRequest&, Respond respond) { respond(JsonTextResponse(200, OpenApiDocument())); });
}

Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen wants HOST:PORT, got " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) return InvalidArgument("--listen wants HOST:PORT, got " + listen);
  return std::make_pair(host, static_cast<uint16_t>(port));
}

}  // namespace

Status Serve(const ServeOptions& options, const ServiceHooks& hooks, const std::atomic<bool>* stop,
             std::function<void(uint16_t)> on_listening) {
  auto listen = SplitListen(options.listen);
  FACETAG_RETURN_IF_ERROR(listen.status());
  const std::filesystem::path db = options.db.empty() ? DefaultCatalogPath() : options.db;
  auto keys = ApiKeyStore(ApiKeyFile(db)).List();
  FACETAG_RETURN_IF_ERROR(keys.status());
  const bool loopback = IsLoopbackHost(listen->first);
  if (!loopback && keys->empty()) {
    return InvalidArgument(
        "refusing to listen on " + listen->first +
        " without an API key: create one with `facetag apikey create` (or listen on 127.0.0.1)");
  }
  ReloadingApiKeys api_keys(ApiKeyFile(db), std::move(*keys));
  const RequestGuard guard(listen->first, options.allowed_hosts);

  auto ctx = std::make_unique<Context>();
  ctx->options = options;
  ctx->hooks = hooks;
  ctx->db = db;
  ctx->uploads = std::filesystem::absolute(db).parent_path() / "uploads";
  ctx->decode_budget = std::make_unique<PixelBudget>(options.max_decoding_pixels);
  DeclareMetrics(ctx->metrics);
  if (hooks.cluster_status_json) {
    ctx->metrics.Declare("facetag_cluster_workers", "gauge", "Workers heartbeating to this head");
    ctx->metrics.Declare("facetag_cluster_queue_depth", "gauge", "Cluster jobs waiting for a worker");
  }
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
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = options.pipeline.workers > 0 ? options.pipeline.workers
                                                   : (options.batch_descriptors ? 2 * cores : cores);
  auto runners = pipeline::ResolveNetRunners(options.pipeline.engine);
  if (!runners.ok())
    return Status(runners.status().code(), "cannot start the face engine: " + runners.status().message());
  if (options.batch_descriptors) {
    const auto& dir = options.pipeline.engine.model_dir;
    auto batcher = DescriptorBatcher::Open(
        dir.empty() ? DefaultModelDir() : dir, runners->descriptor,
        options.descriptor_threads > 0 ? options.descriptor_threads : cores, &ctx->metrics);
    if (!batcher.ok())
      return Status(batcher.status().code(), "cannot start the face engine: " + batcher.status().message());
    ctx->batcher = std::move(*batcher);
  }
  ctx->engine_metrics = std::make_unique<EngineMetrics>(&ctx->metrics, ctx->batcher != nullptr);
  // Requests are often one face crop or a small photo: every engine fits its detector to the
  // image (face/fitted_detector.h), and so registering, verifying and recognising detect alike.
  EngineOptions engine_options = options.pipeline.engine;
  engine_options.fit_detector_to_image = true;
  // Under load every engine thread and the batcher are busy at once: nets with one thread each
  // keep the cores busy without thread teams spinning against each other.
  engine_options.inference_threads = 1;
  auto engines = pipeline::EnginePool::Open(engine_options, workers, [&] {
    pipeline::EngineSeams seams;
    seams.observer = ctx->engine_metrics.get();
    if (ctx->batcher) seams.embedder = ctx->batcher->NewEmbedder();
    return seams;
  });
  FACETAG_RETURN_IF_ERROR(engines.status());
  ctx->queue = std::make_unique<WorkQueue>(std::move(*engines), std::max(1, options.queue_capacity),
                                           std::chrono::milliseconds(options.max_queue_wait_ms));

  Router router;
  AddOperationRoutes(*ctx, router);
  AddRecognitionRoutes(*ctx, router);
  AddCatalogRoutes(*ctx, router);
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
  http.host = listen->first;
  http.port = listen->second;
  http.max_body_bytes = options.max_body_bytes;
  http.max_connections = options.max_connections;
  auto server = HttpServer::Start(http, dispatch);
  FACETAG_RETURN_IF_ERROR(server.status());
  ctx->ready = true;
  std::fprintf(stderr, "facetag: serving on %s:%u (catalog %s, %d engine%s, %s detector%s)\n",
               listen->first.c_str(), static_cast<unsigned>((*server)->port()),
               loopback ? "opened" : "opened, API keys required", workers, workers == 1 ? "" : "s",
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

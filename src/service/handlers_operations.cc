// The routes that operate the node rather than the catalog: liveness, readiness, Prometheus
// metrics, the status document and the OpenAPI file.
#include "service/context.h"
#include "service/serve.h"
#include "service/service_metrics.h"
#include "service/status_json.h"

namespace facetag::service {

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
    RefreshQueueGauges(ctx.metrics, ctx.queue->depth(), ctx.queue->capacity());
    auto expose = [&ctx, respond] {
      HttpResponse r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = ctx.metrics.Exposition();
      respond(std::move(r));
    };
    if (!ctx.hooks.cluster_status_json) return expose();
    // A head: the cluster gauges come from NATS, which may block, so off the IO threads.
    boost::asio::post(ctx.blocking, [&ctx, expose] {
      RefreshClusterGauges(ctx.metrics, ClusterStatus(ctx));
      expose();
    });
  });
  router.Add("GET", "/api/v1/status", [&ctx](HttpRequest&, Respond respond) {
    boost::asio::post(ctx.blocking, [&ctx, respond] { respond(JsonResponse(200, StatusJson(ctx))); });
  });
  router.Add("GET", "/api/openapi.json",
             [](HttpRequest&, Respond respond) { respond(JsonTextResponse(200, OpenApiDocument())); });
}

}  // namespace facetag::service

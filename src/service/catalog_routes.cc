#include "service/catalog_routes.h"

#include "service/request_params.h"

namespace facetag::service {

void WithCatalog(Context& ctx, Respond respond, std::function<HttpResponse(Catalog&)> fn) {
  boost::asio::post(ctx.blocking, [&ctx, respond = std::move(respond), fn = std::move(fn)] {
    HttpResponse response;
    try {
      std::lock_guard lock(ctx.catalog_mu);
      response = fn(*ctx.catalog);
    } catch (const std::exception&) {
      response = ErrorResponse(500, "internal", "internal error");
    }
    respond(std::move(response));
  });
}

Handler CatalogRoute(Context& ctx, std::function<HttpResponse(Catalog&, const HttpRequest&)> fn) {
  return [&ctx, fn](HttpRequest& req, Respond respond) {
    WithCatalog(ctx, respond, [fn, req](Catalog& c) { return fn(c, req); });
  };
}

Handler CatalogWriteRoute(
    Context& ctx, std::function<HttpResponse(Catalog&, const HttpRequest&, const nlohmann::json&)> fn) {
  return [&ctx, fn](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto body = JsonBody(req, &error);
    if (!body) return respond(error);
    WithCatalog(ctx, respond, [&ctx, fn, req, body = *body](Catalog& c) {
      HttpResponse r = fn(c, req, body);
      ctx.known->Invalidate();
      return r;
    });
  };
}

}  // namespace facetag::service

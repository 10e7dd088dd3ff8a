// How a route reaches the catalog: on the blocking pool with the catalog locked, a thrown
// exception answered 500, and writes followed by dropping the recognizer's cached known faces.
// Every catalog-backed handler goes through these, so none can forget the lock or the refresh.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "service/context.h"

namespace facetag::service {

// Runs `fn(catalog)` on the blocking pool with the catalog locked; `fn` returns the response.
void WithCatalog(Context& ctx, Respond respond, std::function<HttpResponse(Catalog&)> fn);

// A route that reads the catalog.
Handler CatalogRoute(Context& ctx, std::function<HttpResponse(Catalog&, const HttpRequest&)> fn);

// A route that changes the catalog from a JSON object body (415/400 before the catalog is
// touched); afterwards the known faces /recognize matches against are re-read.
Handler CatalogWriteRoute(
    Context& ctx, std::function<HttpResponse(Catalog&, const HttpRequest&, const nlohmann::json&)> fn);

}  // namespace facetag::service

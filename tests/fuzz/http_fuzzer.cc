// libFuzzer entry point for the HTTP side of the service: raw bytes go through the server's own
// request parser (same limits), then the same Dispatch as a live server (Host and Origin checks,
// the JSON body limits, the routes), with the catalog, image and event routes over a real catalog
// file.
// A crash, a sanitizer report, an answer that is not valid JSON where JSON is promised, or a
// status outside 100..599 is a finding. The recognition routes need the nets and are left out.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "service/context.h"
#include "service/dispatch.h"
#include "service/http_server.h"

namespace {

using namespace facetag;
using namespace facetag::service;

struct Harness {
  Harness() {
    char pattern[] = "/tmp/facetag-http-fuzz-XXXXXX";
    dir = ::mkdtemp(pattern);
    std::filesystem::create_directories(dir / "photos");
    ctx.db = dir / "fuzz.db";
    ctx.uploads = dir / "uploads";
    ctx.options.photo_roots = {dir / "photos"};
    auto catalog = Catalog::Open(ctx.db);
    auto matcher = Catalog::Open(ctx.db);
    if (!catalog.ok() || !matcher.ok()) std::abort();
    ctx.catalog = std::move(*catalog);
    ctx.known = std::make_unique<KnownFaces>(std::move(*matcher), IdentifyOptions{});
    for (const char* name : {"Ann", "Bo"}) (void)ctx.catalog->CreatePerson(name);
    AddPersonRoutes(ctx, router);
    AddFaceRoutes(ctx, router);
    AddPhotoRoutes(ctx, router);
    AddImageRoutes(ctx, router);
    AddEventRoutes(ctx, router);
    ctx.ready = true;
  }
  std::filesystem::path dir;
  Context ctx;
  Router router;
  RequestGuard guard{"127.0.0.1", {"photos.example.org"}};
  HttpServerOptions http;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* h = new Harness();  // lives for the process: handlers keep references to it
  auto request = ParseRequestBytes(std::string_view(reinterpret_cast<const char*>(data), size), h->http);
  if (!request.ok()) return 0;
  // An index would walk the (empty) photo root on a thread of its own; it proves nothing here
  // and makes runs depend on timing.
  if (request->method == "POST" && request->path == "/api/v1/index") return 0;
  std::promise<HttpResponse> answered;
  auto answer = answered.get_future();
  Dispatch(h->ctx, h->router, h->guard, nullptr, *request,
           [&answered](HttpResponse r) { answered.set_value(std::move(r)); });
  const HttpResponse r = answer.get();
  if (r.status < 100 || r.status > 599) std::abort();
  // 204 No Content has no body to check.
  if (r.status != 204 && r.content_type == "application/json" && !nlohmann::json::accept(r.body))
    std::abort();
  return 0;
}

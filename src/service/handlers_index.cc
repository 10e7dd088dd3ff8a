// The index job: POST /api/v1/index indexes a folder (or an S3 prefix) under the server's photo
// roots in the background, as `facetag index` does; GET /api/v1/index and /status report it.
#include <thread>

#include "facetag/indexer.h"
#include "service/context.h"
#include "service/request_params.h"
#include "storage/object_url.h"

namespace facetag::service {

using json = nlohmann::json;

json IndexStateJson(Context& ctx) {
  std::lock_guard lock(ctx.index_mu);
  const IndexState& s = ctx.index;
  json j = {{"running", s.running},
            {"phase", s.phase},
            {"files_done", s.files_done},
            {"files_total", s.files_total},
            {"faces_found", s.faces_found},
            {"files_per_s", s.files_per_s},
            {"eta_s", s.eta_s}};
  if (!s.error.empty()) j["error"] = s.error;
  if (!s.summary.is_null()) j["summary"] = s.summary;
  return j;
}

PhotoPipelineOptions LibraryAnalysis(const Context& ctx) {
  PhotoPipelineOptions options = ForPhotoLibrary(ctx.options.pipeline);
  // --detector chooses how requests are searched; photos are indexed with `facetag index`'s.
  options.engine.detector = IndexOptions{}.pipeline.engine.detector;
  return options;
}

namespace {

HttpResponse IndexStatus(Context& ctx) { return JsonResponse(200, IndexStateJson(ctx)); }

// An s3:// URL inside an s3:// root: the root itself or a key under its prefix "folder". Keys are
// opaque strings to the store ("a/../b" is a key, not a way out), so a string comparison decides.
bool InsideObjectRoot(const std::string& url, std::string root) {
  while (!root.empty() && root.back() == '/') root.pop_back();
  return url == root || url.rfind(root + "/", 0) == 0;
}

// `path` made absolute and normal, if it lies inside one of the photo roots.
std::optional<std::filesystem::path> InsideRoots(const Context& ctx, const std::string& path) {
  if (storage::IsObjectUrl(path)) {
    for (const auto& root : ctx.options.photo_roots)
      if (storage::IsObjectUrl(root.native()) && InsideObjectRoot(path, root.native())) return path;
    return std::nullopt;
  }
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  if (ec) return std::nullopt;
  const auto target = std::filesystem::weakly_canonical(absolute, ec);
  if (ec) return std::nullopt;
  for (const auto& root : ctx.options.photo_roots) {
    const auto r = std::filesystem::weakly_canonical(std::filesystem::absolute(root), ec);
    if (ec) continue;
    auto rel = target.lexically_relative(r);
    if (!rel.empty() && *rel.begin() != "..") return target;
  }
  return std::nullopt;
}

void RunIndex(Context& ctx, std::filesystem::path path) {
  auto progress = [&ctx](const IndexProgress& p) {
    std::lock_guard lock(ctx.index_mu);
    static const char* kPhases[] = {"scanning", "indexing", "grouping", "done"};
    ctx.index.phase = kPhases[static_cast<int>(p.phase)];
    ctx.index.files_per_s = p.files_per_s;
    ctx.index.eta_s = p.eta_s;
    ctx.index.files_done = p.files_done;
    ctx.index.files_total = p.files_total;
    ctx.index.faces_found = p.faces_found;
    ctx.metrics.Set("facetag_index_files_done", "", static_cast<double>(p.files_done));
    ctx.metrics.Set("facetag_index_files_total", "", static_cast<double>(p.files_total));
  };
  Result<IndexSummary> report = Internal("not run");
  auto catalog = Catalog::Open(ctx.db);
  if (!catalog.ok()) {
    report = catalog.status();
  } else {
    IndexOptions options;
    options.pipeline = LibraryAnalysis(ctx);
    // On a cluster's head, the workers analyse (while there are any); the rest happens here.
    options.remote = ctx.hooks.remote;
    report = IndexLibrary(**catalog, {path.string()}, options, progress);
  }
  ctx.known->Invalidate();
  std::lock_guard lock(ctx.index_mu);
  ctx.index.running = false;
  ctx.index.phase = "done";
  ctx.index.error = report.ok() ? "" : report.status().message();
  ctx.index.summary = report.ok() ? IndexSummaryToJson(*report) : json();
}

}  // namespace

void AddIndexRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/api/v1/index", [&ctx](HttpRequest&, Respond respond) { respond(IndexStatus(ctx)); });
  router.Add("POST", "/api/v1/index", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto body = JsonBody(req, &error);
    if (!body) return respond(error);
    const json& path_value = body->contains("path") ? (*body)["path"] : json();
    if (!path_value.is_string() || path_value.get<std::string>().empty() ||
        path_value.get<std::string>().find('\0') != std::string::npos)
      return respond(ErrorResponse(400, "bad_request", "\"path\" (a non-empty string) is required"));
    auto path = InsideRoots(ctx, (*body)["path"].get<std::string>());
    if (!path)
      return respond(
          ErrorResponse(403, "forbidden_path", "the path is not inside a photo root of this server"));
    // An object store is asked when the index lists it: a missing bucket is reported there.
    if (!storage::IsObjectUrl(path->native()) && !std::filesystem::exists(*path))
      return respond(ErrorResponse(404, "not_found", "no such file or folder"));
    std::lock_guard lock(ctx.index_mu);
    if (ctx.index.running) return respond(ErrorResponse(409, "conflict", "an index is already running"));
    if (ctx.regroup.running) return respond(ErrorResponse(409, "conflict", "the faces are being re-grouped"));
    if (ctx.index_thread.joinable()) ctx.index_thread.join();
    // The last run's summary stays until this one has its own (the Status page shows it).
    json last_summary = std::move(ctx.index.summary);
    ctx.index = IndexState{};
    ctx.index.summary = std::move(last_summary);
    ctx.index.running = true;
    ctx.index.phase = "scanning";
    ctx.index_thread = std::thread([&ctx, p = *path] { RunIndex(ctx, p); });
    respond(JsonTextResponse(202, R"({"started":true})"));
  });
}

}  // namespace facetag::service

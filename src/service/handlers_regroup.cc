// POST /api/v1/group: every face grouped into people again (GroupCatalog, kFull), in the
// background like the index; names and corrections keep their faces. GET reports it, and so
// does /status.
#include <thread>

#include "facetag/indexer.h"
#include "facetag/people.h"
#include "service/context.h"

namespace facetag::service {

using json = nlohmann::json;

json RegroupJson(const RegroupState& state) {
  json j = {{"running", state.running}};
  if (!state.error.empty()) j["error"] = state.error;
  if (!state.report.is_null()) j["report"] = state.report;
  return j;
}

namespace {

void RunRegroup(Context& ctx) {
  Result<GroupingReport> report = Internal("not run");
  // Its own connection: the grouping takes seconds on a large library, while requests go on.
  auto catalog = Catalog::Open(ctx.db);
  report =
      catalog.ok() ? GroupCatalog(**catalog, GroupingMode::kFull) : Result<GroupingReport>(catalog.status());
  ctx.known->Invalidate();
  std::lock_guard lock(ctx.index_mu);
  ctx.regroup.running = false;
  ctx.regroup.error = report.ok() ? "" : report.status().message();
  if (report.ok()) ctx.regroup.report = GroupingReportToJson(*report);
}

}  // namespace

void AddRegroupRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/api/v1/group", [&ctx](HttpRequest&, Respond respond) {
    std::lock_guard lock(ctx.index_mu);
    respond(JsonResponse(200, RegroupJson(ctx.regroup)));
  });
  router.Add("POST", "/api/v1/group", [&ctx](HttpRequest&, Respond respond) {
    std::lock_guard lock(ctx.index_mu);
    if (ctx.regroup.running)
      return respond(ErrorResponse(409, "conflict", "the faces are already being re-grouped"));
    if (ctx.index.running)
      return respond(ErrorResponse(409, "conflict", "an index is running; re-group once it is done"));
    if (ctx.regroup_thread.joinable()) ctx.regroup_thread.join();
    ctx.regroup = RegroupState{};
    ctx.regroup.running = true;
    ctx.regroup_thread = std::thread([&ctx] { RunRegroup(ctx); });
    respond(JsonTextResponse(202, R"({"started":true})"));
  });
}

}  // namespace facetag::service

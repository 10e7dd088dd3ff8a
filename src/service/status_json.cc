#include "service/status_json.h"

namespace facetag::service {

using json = nlohmann::json;

json ClusterStatus(const Context& ctx) {
  if (!ctx.hooks.cluster_status_json) return nullptr;
  json cluster = json::parse(ctx.hooks.cluster_status_json(), nullptr, false);
  return cluster.is_discarded() ? json(nullptr) : cluster;
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
  const double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  const json index = IndexStateJson(ctx);
  json regroup;
  {
    std::lock_guard lock(ctx.index_mu);
    regroup = RegroupJson(ctx.regroup);
  }
  json photo_roots = json::array();  // where POST /index may look (--photos)
  for (const auto& root : ctx.options.photo_roots) photo_roots.push_back(root.string());
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
          {"cluster", ClusterStatus(ctx)}};
}

}  // namespace facetag::service

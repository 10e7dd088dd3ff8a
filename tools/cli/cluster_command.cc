// facetag cluster status: the machines of the distributed mode (head, workers, queue). Grouping
// faces into people is `facetag group`.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"  // ReportError
#include "cluster_flags.h"
#include "commands.h"

namespace facetag::cli {
namespace {

int PrintClusterStatus(const ClusterEndpoint& head, bool json) {
  auto text = ClusterStatusJson(head);
  if (!text.ok()) return ReportError(text.status());
  if (json) {
    std::cout << *text << '\n';
    return kExitOk;
  }
  const auto s = nlohmann::json::parse(*text);
  std::printf("%s, %.1f jobs/s; %lld queued, %lld in flight, %lld results waiting, %zu failed\n",
              CountOf(static_cast<long long>(s["nodes"].size()), "worker", "workers").c_str(),
              s["jobs_per_s"].get<double>(), s["queued"].get<long long>(), s["in_flight"].get<long long>(),
              s["results_waiting"].get<long long>(), s["failed"].size());
  for (const auto& n : s["nodes"]) {
    std::printf("  %-24s host %-16s %s, model %s, %s done, %.1f jobs/s\n", n.value("name", "").c_str(),
                n.value("host", "").c_str(), CountOf(n.value("threads", 0), "thread", "threads").c_str(),
                n.value("model", "").c_str(), CountOf(n.value("jobs_done", 0LL), "job", "jobs").c_str(),
                n.value("rate", 0.0));
  }
  for (const auto& f : s["failed"]) {
    std::printf("  failed %s: %s\n", f.value("path", "").c_str(), f.value("reason", "").c_str());
  }
  return kExitOk;
}

}  // namespace

Command AddClusterCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("cluster", "The machines of the distributed mode (see `cluster status`)");
  auto* status = cmd->add_subcommand("status", "Show the cluster: workers, rates, queue, failed jobs");
  auto flags = std::make_shared<ClusterFlags>();
  auto json = std::make_shared<bool>(false);
  flags->Register(*status, true);
  status->add_flag("--json", *json, "Print JSON");

  return {cmd, [status, flags, json] {
            if (status->parsed()) return PrintClusterStatus(flags->Endpoint(), *json);
            // `facetag cluster` re-grouped faces before it meant the machines: say where that went.
            std::fprintf(stderr,
                         "facetag cluster: say what to do (`facetag cluster status`); re-grouping faces into "
                         "people is `facetag group`\n");
            return kExitUsage;
          }};
}

}  // namespace facetag::cli

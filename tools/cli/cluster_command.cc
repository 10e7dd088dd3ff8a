// facetag cluster: group every face again (corrections and names stay where they are).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "cluster_flags.h"
#include "commands.h"
#include "facetag/people.h"

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
  auto* cmd =
      app.add_subcommand("cluster", "Re-group all faces into people (named and corrected people are kept)");
  struct Args {
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print the statistics as JSON");
  args->catalog.Register(*cmd);
  // `facetag cluster status`: the compute cluster (head, workers, queue), not the grouping.
  auto* status = cmd->add_subcommand("status", "Show the compute cluster: nodes, rates, queue, failed jobs");
  auto status_flags = std::make_shared<ClusterFlags>();
  status_flags->Register(*status, true);
  status->add_flag("--json", args->json, "Print JSON");

  return {
      cmd, [args, status, status_flags] {
        if (status->parsed()) return PrintClusterStatus(status_flags->Endpoint(), args->json);
        auto catalog = args->catalog.OpenExisting();
        if (!catalog.ok()) return ReportError(catalog.status());
        auto report = ClusterCatalog(**catalog, ClusterMode::kFull);
        if (!report.ok()) return ReportError(report.status());
        const ClusterStats& s = report->stats;
        if (args->json) {
          std::cout << nlohmann::json{{"faces", s.faces},
                                      {"people", s.people},
                                      {"new_people", s.new_people},
                                      {"unassigned", s.noise},
                                      {"changed_faces", report->changed_faces},
                                      {"seconds", s.total_s}}
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                    << '\n';
        } else {
          std::printf(
              "%lld faces in %lld people (%lld new), %lld faces alone; %lld faces changed person (%.2f s)\n",
              static_cast<long long>(s.faces), static_cast<long long>(s.people),
              static_cast<long long>(s.new_people), static_cast<long long>(s.noise),
              static_cast<long long>(report->changed_faces), s.total_s);
        }
        return kExitOk;
      }};
}

}  // namespace facetag::cli

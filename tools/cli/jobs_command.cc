// facetag jobs --failed: the cluster's dead-letter list, with the reasons.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "cluster_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddJobsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("jobs", "Cluster jobs: --failed lists the dead-lettered ones");
  struct Args {
    ClusterFlags cluster;
    bool failed = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  args->cluster.Register(*cmd, true);
  cmd->add_flag("--failed", args->failed, "List the jobs that failed every delivery, with the reason")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON");
  return {cmd, [args] {
            auto failed = ListFailedJobs(args->cluster.Endpoint());
            if (!failed.ok()) return ReportError(failed.status());
            if (args->json) {
              nlohmann::json out = nlohmann::json::array();
              for (const auto& f : *failed)
                out.push_back({{"job", f.job_id},
                               {"path", f.path},
                               {"worker", f.worker},
                               {"reason", f.reason},
                               {"deliveries", f.deliveries}});
              std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            } else {
              std::printf("%zu failed job(s)\n", failed->size());
              for (const auto& f : *failed)
                std::printf("  %s  %s  (%d deliveries, last on %s): %s\n", f.job_id.substr(0, 12).c_str(),
                            f.path.c_str(), f.deliveries, f.worker.empty() ? "?" : f.worker.c_str(),
                            f.reason.c_str());
            }
            return kExitOk;
          }};
}

}  // namespace facetag::cli

// facetag group: group every face into people again (corrections and names stay where they are).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/indexer.h"
#include "facetag/people.h"

namespace facetag::cli {

Command AddGroupCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("group", "Re-group all faces into people (named and corrected people are kept)");
  struct Args {
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print the statistics as JSON");
  args->catalog.Register(*cmd);

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenExisting();
        if (!catalog.ok()) return ReportError(catalog.status());
        auto report = GroupCatalog(**catalog, GroupingMode::kFull);
        if (!report.ok()) return ReportError(report.status());
        if (args->json) {
          std::cout << GroupingReportToJson(*report).dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace)
                    << '\n';
          return kExitOk;
        }
        const GroupingStats& s = report->stats;
        std::printf(
            "%lld faces in %lld people (%lld new), %lld faces alone; %lld faces changed person (%.2f s)\n",
            static_cast<long long>(s.faces), static_cast<long long>(s.people),
            static_cast<long long>(s.new_people), static_cast<long long>(s.noise),
            static_cast<long long>(report->changed_faces), s.total_s);
        return kExitOk;
      }};
}

}  // namespace facetag::cli

// facetag index [--db PATH] [--json] PATH...: bring photo folders into the catalog, then group
// new faces into people.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "cluster_flags.h"
#include "commands.h"
#include "engine_flags.h"
#include "facetag/cluster.h"
#include "facetag/indexer.h"
#include "progress_bar.h"

namespace facetag::cli {
namespace {

nlohmann::json SummaryJson(const IndexSummary& s, const Catalog::Counts& counts) {
  nlohmann::json j = IndexSummaryToJson(s);
  j["catalog"] = {{"photos", counts.photos},
                  {"failed", counts.failed},
                  {"missing", counts.missing},
                  {"faces", counts.faces},
                  {"assigned_faces", counts.assigned_faces},
                  {"people", counts.people}};
  return j;
}

void PrintSummary(const IndexSummary& s, const Catalog::Counts& counts) {
  std::printf("%s in %.1f s: %lld new, %lld changed, %lld moved or copied, %lld unchanged, %lld failed\n",
              CountOf(s.files, "file", "files").c_str(), s.seconds, static_cast<long long>(s.added),
              static_cast<long long>(s.replaced), static_cast<long long>(s.known_content),
              static_cast<long long>(s.unchanged), static_cast<long long>(s.failed));
  std::printf("%s found, %s, %s missing\n", CountOf(s.faces_added, "face", "faces").c_str(),
              CountOf(s.grouping.stats.new_people, "new person", "new people").c_str(),
              CountOf(s.missing, "photo", "photos").c_str());
  if (s.no_face > 0) {
    std::printf("%s had no face\n", CountOf(s.no_face, "photo", "photos").c_str());
  }
  if (s.xmp_named_faces > 0) {
    std::printf("%s named from XMP face regions\n", CountOf(s.xmp_named_faces, "face", "faces").c_str());
  }
  std::printf("catalog: %s, %s, %s\n", CountOf(counts.photos, "photo", "photos").c_str(),
              CountOf(counts.faces, "face", "faces").c_str(),
              CountOf(counts.people, "person", "people").c_str());
  if (!s.analysis.empty()) std::printf("analysis: %s\n", s.analysis.c_str());
  if (!s.failures.empty()) {
    std::printf("%zu could not be indexed:\n", s.failures.size());
    for (const auto& f : s.failures) std::printf("  %s: %s\n", f.path.c_str(), f.error.c_str());
  }
}

// --head: the cluster's workers analyse, the head's catalog stores; this process waits.
template <typename Args>
int RunClusterIndex(const Args& args) {
  std::vector<std::filesystem::path> roots(args.paths.begin(), args.paths.end());
  ProgressBar bar(stderr);
  Catalog::Counts counts;
  auto summary = ClusterIndex(
      args.cluster.Endpoint(), roots, [&](const IndexProgress& p) { bar.Update(p); }, &counts);
  bar.Clear();
  if (!summary.ok()) return ReportError(summary.status());
  if (args.json) {
    std::cout << SummaryJson(*summary, counts).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  } else {
    PrintSummary(*summary, counts);
  }
  return summary->failures.empty() ? kExitOk : kExitSomeFailed;
}

}  // namespace

Command AddIndexCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("index", "Index photo folders into the catalog and group faces into people");
  struct Args {
    bool json = false;
    bool no_xmp_names = false;
    std::vector<std::string> paths;
    CatalogFlags catalog;
    EngineFlags engine;
    ClusterFlags cluster;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_flag("--no-xmp-names", args->no_xmp_names,
                "Do not take names from the photos' MWG face regions (XMP sidecar or embedded)");
  args->catalog.Register(*cmd);
  args->engine.Register(*cmd);
  args->cluster.Register(*cmd, false);
  cmd->add_option("paths", args->paths, "Folders (searched recursively) and photo files")->required();

  return {cmd, [args] {
            if (!args->cluster.head.empty()) return RunClusterIndex(*args);
            auto catalog = args->catalog.Open();
            if (!catalog.ok()) return ReportError(catalog.status());
            IndexOptions options;
            options.pipeline = args->engine.ToOptions();
            options.names_from_xmp = !args->no_xmp_names;
            std::vector<std::filesystem::path> roots(args->paths.begin(), args->paths.end());
            ProgressBar bar(stderr);
            auto summary =
                IndexLibrary(**catalog, roots, options, [&](const IndexProgress& p) { bar.Update(p); });
            bar.Clear();
            if (!summary.ok()) return ReportError(summary.status());
            if (const std::string warning = AnalysisWarning(*summary); !warning.empty())
              std::fprintf(stderr, "facetag: warning: %s\n", warning.c_str());
            auto counts = (*catalog)->GetCounts();
            if (!counts.ok()) return ReportError(counts.status());
            if (args->json) {
              std::cout << SummaryJson(*summary, *counts)
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                        << '\n';
            } else {
              PrintSummary(*summary, *counts);
            }
            return summary->failures.empty() ? kExitOk : kExitSomeFailed;
          }};
}

}  // namespace facetag::cli

// facetag: the command line over libfacetag. Each subcommand lives in its own file.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "commands.h"

namespace {

// Debian's oneDNN runs its threads on OpenMP, whose threads spin at every layer's barrier. When
// another process holds a core, each layer then waits out a scheduler time slice: 22 photos with
// one worker took 12.3 s instead of 1.6 s on a loaded 2-core machine (docs/BENCHMARKS.md).
// Passive waiting costs microseconds per layer on an idle machine. libgomp reads the variable
// when it loads, before main, so the process runs itself again once with it set; a value the
// user set is kept.
void PreferPassiveOpenMpWaits(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);  // returns only where that fails (no /proc): carry on as we are
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// CLI11 answers a mistyped command with "A subcommand is required", which does not say what was
// wrong. The leading words are checked against the command tree first (only leading ones: after an
// option, a word may be that option's value). Returns false after reporting an unknown command.
bool KnownCommandWords(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return true;
    const auto subcommands = current->get_subcommands([](CLI::App*) { return true; });
    if (subcommands.empty()) return true;
    CLI::App* next = nullptr;
    const CLI::App* closest = nullptr;
    size_t closest_distance = 0;
    for (CLI::App* sub : subcommands) {
      if (sub->check_name(word)) next = sub;
      const size_t d = EditDistance(word, sub->get_name());
      if (closest == nullptr || d < closest_distance) closest = sub, closest_distance = d;
    }
    if (next != nullptr) {
      current = next;
      continue;
    }
    if (current->get_require_subcommand_min() == 0) return true;  // a positional argument
    std::fprintf(stderr, "facetag: unknown command \"%s\"; did you mean \"%s\"?\n", word.c_str(),
                 closest->get_name().c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  PreferPassiveOpenMpWaits(argv);
  using namespace facetag::cli;
  CLI::App app{"facetag: find, describe and group the faces in a photo library"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "facetag 0.1.0");
  const Command commands[] = {
      AddFacesCommand(app),    AddCompareCommand(app),  AddBenchCommand(app),   AddIndexCommand(app),
      AddPeopleCommand(app),   AddNameCommand(app),     AddMergeCommand(app),   AddMoveCommand(app),
      AddRejectCommand(app),   AddUnassignCommand(app), AddHideCommand(app),    AddPurgeCommand(app),
      AddPhotosCommand(app),   AddTogetherCommand(app), AddWhoisCommand(app),   AddGroupCommand(app),
      AddExportCommand(app),   AddServeCommand(app),    AddApikeyCommand(app),  AddEventsCommand(app),
      AddDoctorCommand(app),   AddHeadCommand(app),     AddWorkerCommand(app),  AddJobsCommand(app),
      AddAnnotateCommand(app), AddBackupCommand(app),   AddRestoreCommand(app), AddXmpCommand(app),
      AddReviewCommand(app),   AddUndoCommand(app),     AddClusterCommand(app),
  };
  if (!KnownCommandWords(app, argc, argv)) return kExitUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& c : commands) {
    if (!c.app->parsed()) continue;
    try {
      return c.run();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "facetag: internal error: %s\n", e.what());
      return kExitSomeFailed;
    }
  }
  return kExitUsage;
}

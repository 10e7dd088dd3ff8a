// facetag: the command line over libfacetag. Each subcommand lives in its own file.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

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
      AddRejectCommand(app),   AddUnassignCommand(app), AddHideCommand(app),    AddPhotosCommand(app),
      AddTogetherCommand(app), AddWhoisCommand(app),    AddClusterCommand(app), AddExportCommand(app),
      AddServeCommand(app),    AddApikeyCommand(app),   AddEventsCommand(app),  AddDoctorCommand(app),
      AddHeadCommand(app),     AddWorkerCommand(app),   AddJobsCommand(app),
  };
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

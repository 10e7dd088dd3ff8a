// facetag: the command line over libfacetag. Each subcommand lives in its own file.
#include <cstdio>
#include <exception>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace facetag::cli;
  CLI::App app{"facetag: find, describe and group the faces in a photo library"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "facetag 0.1.0");
  const Command commands[] = {
      AddFacesCommand(app),    AddCompareCommand(app),  AddBenchCommand(app),   AddIndexCommand(app),
      AddPeopleCommand(app),   AddNameCommand(app),     AddMergeCommand(app),   AddMoveCommand(app),
      AddRejectCommand(app),   AddUnassignCommand(app), AddHideCommand(app),    AddPhotosCommand(app),
      AddTogetherCommand(app), AddWhoisCommand(app),    AddClusterCommand(app), AddExportCommand(app),
      AddServeCommand(app),    AddApikeyCommand(app), AddDoctorCommand(app),
      AddHeadCommand(app),     AddWorkerCommand(app),   AddJobsCommand(app),     AddAnnotateCommand(app),
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

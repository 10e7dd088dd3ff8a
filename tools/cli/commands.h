// The facetag subcommands. Each registers its options on the CLI11 app and returns the process
// exit code when run: 0 success, 1 some input failed, 2 usage error.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace facetag::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;

// "1 photo", "2 photos": a count with its noun in agreement, for every count+noun message.
inline std::string CountOf(long long n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? singular : plural);
}

// A registered subcommand and what runs it once its options are parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command AddFacesCommand(CLI::App& app);
Command AddCompareCommand(CLI::App& app);
Command AddBenchCommand(CLI::App& app);
Command AddDoctorCommand(CLI::App& app);
// The photo library (catalog) commands.
Command AddIndexCommand(CLI::App& app);
Command AddPeopleCommand(CLI::App& app);
Command AddNameCommand(CLI::App& app);
Command AddMergeCommand(CLI::App& app);
Command AddMoveCommand(CLI::App& app);
Command AddRejectCommand(CLI::App& app);
Command AddUnassignCommand(CLI::App& app);
Command AddHideCommand(CLI::App& app);
Command AddPurgeCommand(CLI::App& app);
Command AddPhotosCommand(CLI::App& app);
Command AddTogetherCommand(CLI::App& app);
Command AddWhoisCommand(CLI::App& app);
Command AddGroupCommand(CLI::App& app);
Command AddExportCommand(CLI::App& app);
Command AddAnnotateCommand(CLI::App& app);
// Backups and portable names (docs/BACKUP.md).
Command AddBackupCommand(CLI::App& app);
Command AddRestoreCommand(CLI::App& app);
Command AddXmpCommand(CLI::App& app);
// The naming workflow (review_command.cc).
Command AddReviewCommand(CLI::App& app);
Command AddUndoCommand(CLI::App& app);
// The recognition service.
Command AddServeCommand(CLI::App& app);
Command AddApikeyCommand(CLI::App& app);
Command AddEventsCommand(CLI::App& app);
// Cluster mode (docs/CLUSTER.md).
Command AddHeadCommand(CLI::App& app);
Command AddWorkerCommand(CLI::App& app);
Command AddJobsCommand(CLI::App& app);
Command AddClusterCommand(CLI::App& app);  // `cluster status`

}  // namespace facetag::cli

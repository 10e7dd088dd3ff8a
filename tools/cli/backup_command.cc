// facetag backup FILE: a snapshot of the whole catalog, corrections included (docs/BACKUP.md).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/backup.h"

namespace facetag::cli {

namespace {

// "12 photos, 40 faces, 8 people, 3 corrections, 1 rejection, 0 annotations"
std::string DescribeBackup(const BackupInfo& info) {
  return CountOf(info.photos, "photo", "photos") + ", " + CountOf(info.faces, "face", "faces") + ", " +
         CountOf(info.people, "person", "people") + ", " +
         CountOf(info.corrections, "corrected face", "corrected faces") + ", " +
         CountOf(info.rejections, "rejection", "rejections") + ", " +
         CountOf(info.annotations, "annotation", "annotations");
}

}  // namespace

Command AddBackupCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "backup", "Write a snapshot of the catalog (people, names, hidden flags, corrections, faces) to FILE");
  struct Args {
    std::string file;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("file", args->file, "Backup file to write (replaced atomically if it exists)")->required();

  return {cmd, [args] {
            auto info = BackupCatalog(args->catalog.Path(), args->file);
            if (!info.ok()) return ReportError(info.status());
            std::printf("backed up %s to %s (%lld bytes)\n", DescribeBackup(*info).c_str(),
                        args->file.c_str(), static_cast<long long>(info->bytes));
            return kExitOk;
          }};
}

Command AddRestoreCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("restore", "Make the catalog a copy of a backup FILE (into an empty catalog)");
  struct Args {
    std::string file;
    bool replace = false;
    bool check = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--replace", args->replace, "Overwrite a catalog that already has photos or people");
  cmd->add_flag("--check", args->check, "Only check the backup file; change nothing");
  cmd->add_option("file", args->file, "Backup file written by `facetag backup`")->required();

  return {cmd, [args] {
            if (args->check) {
              auto info = VerifyBackup(args->file);
              if (!info.ok()) return ReportError(info.status());
              std::printf("%s: a good backup (catalog schema %d) of %s\n", args->file.c_str(),
                          info->schema_version, DescribeBackup(*info).c_str());
              return kExitOk;
            }
            RestoreOptions options;
            options.replace = args->replace;
            auto info = RestoreCatalog(args->file, args->catalog.Path(), options);
            if (!info.ok()) return ReportError(info.status());
            std::printf("restored %s into %s\n", DescribeBackup(*info).c_str(),
                        args->catalog.Path().string().c_str());
            return kExitOk;
          }};
}

}  // namespace facetag::cli

// facetag xmp [--write] [--person P] [PATH...]: people's names into XMP sidecars, as MWG face
// regions and keywords, for other photo tools (docs/BACKUP.md). Without --write it only says
// what it would write.
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/text.h"
#include "facetag/xmp.h"

namespace facetag::cli {

Command AddXmpCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "xmp",
      "Write people's names into XMP sidecars (MWG face regions, keywords); a dry run without --write");
  struct Args {
    std::vector<std::string> paths;
    std::string person;
    bool write = false;
    bool digikam = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--write", args->write, "Write the sidecars (without it: only list what would be written)");
  cmd->add_option("--person", args->person, "Only photos showing this person (id or name)");
  cmd->add_flag("--digikam", args->digikam, "Also add digiKam's tags (digiKam:TagsList \"People/NAME\")");
  cmd->add_option("paths", args->paths, "Only photos in these folders or files (default: the whole catalog)");

  return {cmd, [args] {
            auto catalog = args->catalog.OpenForReading();
            if (!catalog.ok()) return ReportError(catalog.status());
            SidecarSelection selection;
            for (const auto& p : args->paths) selection.roots.emplace_back(p);
            if (!args->person.empty()) {
              auto person = ResolvePerson(**catalog, args->person);
              if (!person.ok()) return ReportError(person.status());
              selection.person_id = person->id;
            }
            auto plans = PlanSidecars(**catalog, selection);
            if (!plans.ok()) return ReportError(plans.status());

            int written = 0, created = 0, failed = 0;
            size_t regions = 0;
            for (const SidecarPlan& plan : *plans) {
              std::string names;
              for (const auto& r : plan.regions) names += (names.empty() ? "" : ", ") + TerminalSafe(r.name);
              regions += plan.regions.size();
              if (!args->write) {
                std::printf("%s: %s\n", TerminalSafe(SidecarPath(plan.photo.path).string()).c_str(),
                            names.c_str());
                continue;
              }
              SidecarUpdate update;
              update.width = plan.photo.width;
              update.height = plan.photo.height;
              update.regions = plan.regions;
              update.digikam_tags = args->digikam;
              auto outcome = UpdateSidecar(plan.photo.path, update);
              if (!outcome.ok()) {
                ReportError(outcome.status());
                ++failed;
                continue;
              }
              ++written;
              created += outcome->created ? 1 : 0;
              std::printf("%s %s: %s\n", outcome->created ? "created" : "updated",
                          TerminalSafe(outcome->sidecar.string()).c_str(), names.c_str());
            }
            if (!args->write) {
              std::printf("%s with %s to write (dry run: pass --write to write them)\n",
                          CountOf(static_cast<long long>(plans->size()), "sidecar", "sidecars").c_str(),
                          CountOf(static_cast<long long>(regions), "named face", "named faces").c_str());
              return kExitOk;
            }
            const std::string failures = failed ? ", " + std::to_string(failed) + " failed" : "";
            std::printf("%s written (%d new), %s%s\n", CountOf(written, "sidecar", "sidecars").c_str(),
                        created,
                        CountOf(static_cast<long long>(regions), "named face", "named faces").c_str(),
                        failures.c_str());
            return failed ? kExitSomeFailed : kExitOk;
          }};
}

}  // namespace facetag::cli

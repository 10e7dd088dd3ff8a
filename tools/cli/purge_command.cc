// facetag purge PHOTO...: forget photos (by id or path) and everything facetag keeps of them.
// A thin shell over facetag::PurgePhoto, as DELETE /api/v1/photos/{id} is.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/purge.h"
#include "facetag/text.h"

namespace facetag::cli {

Command AddPurgeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "purge", "Forget photos: their faces, descriptors, captions and uploaded copies (the files stay)");
  struct Args {
    std::vector<std::string> photos;
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--json", args->json,
                "Print a JSON array of {photo, path, faces, persons_removed, uploads_removed}");
  cmd->add_option("photo", args->photos, "Photo path, or its id (as the API shows it)")->required();

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenExisting();
        if (!catalog.ok()) return ReportError(catalog.status());
        int exit = kExitOk;
        nlohmann::json out = nlohmann::json::array();
        for (const std::string& arg : args->photos) {
          auto id = ResolvePhoto(**catalog, arg);
          auto report = id.ok() ? PurgePhoto(**catalog, *id) : Result<PurgeReport>(id.status());
          if (!report.ok()) {
            // One unknown photo does not stop the others; the exit code says it.
            const int code = ReportError(report.status());
            exit = std::max(exit, code);
            continue;
          }
          const PurgedPhoto& p = report->purged;
          if (args->json) {
            out.push_back({{"photo", p.photo.id},
                           {"path", p.photo.path},
                           {"faces", p.face_ids.size()},
                           {"persons_removed", p.persons_removed},
                           {"uploads_removed", report->uploads_removed.size()}});
          } else {
            std::printf("forgot photo %lld (%s): %s", static_cast<long long>(p.photo.id),
                        TerminalSafe(p.photo.path).c_str(),
                        CountOf(static_cast<long long>(p.face_ids.size()), "face", "faces").c_str());
            if (!p.persons_removed.empty())
              std::printf(", %s without faces left", CountOf(static_cast<long long>(p.persons_removed.size()),
                                                             "unnamed person", "unnamed people")
                                                         .c_str());
            if (!report->uploads_removed.empty())
              std::printf(", %s deleted",
                          CountOf(static_cast<long long>(report->uploads_removed.size()), "upload", "uploads")
                              .c_str());
            std::printf("\n");
          }
        }
        if (args->json)
          std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return exit;
      }};
}

}  // namespace facetag::cli

// facetag photos --person NAME [--with NAME]...: the photos in which all of them appear.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "common/text.h"

namespace facetag::cli {

Command AddPhotosCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("photos", "Photos of a person, optionally together with others");
  struct Args {
    std::string person;
    std::vector<std::string> with;
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--person", args->person, "Person id or name")->required();
  cmd->add_option("--with", args->with, "Someone else who must be in the photo too (repeatable)");
  cmd->add_flag("--json", args->json, "Print a JSON array of {path, status}");
  args->catalog.Register(*cmd);

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            std::vector<int64_t> ids;
            std::vector<std::string> wanted = {args->person};
            wanted.insert(wanted.end(), args->with.begin(), args->with.end());
            for (const auto& arg : wanted) {
              auto person = ResolvePerson(**catalog, arg);
              if (!person.ok()) return ReportError(person.status());
              ids.push_back(person->id);
            }
            auto photos = (*catalog)->PhotosWithAll(ids);
            if (!photos.ok()) return ReportError(photos.status());
            if (args->json) {
              nlohmann::json out = nlohmann::json::array();
              for (const PhotoRecord& p : *photos)
                out.push_back({{"path", p.path}, {"status", PhotoStatusName(p.status)}});
              std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
              return kExitOk;
            }
            const bool to_terminal = ::isatty(STDOUT_FILENO) == 1;
            for (const PhotoRecord& p : *photos) {
              // On a terminal a file name cannot carry escape sequences to it; piped, the
              // bytes stay exact so that scripts can open the files.
              const std::string path = to_terminal ? TerminalSafe(p.path) : p.path;
              std::printf("%s%s\n", path.c_str(), p.status == PhotoStatus::kMissing ? "  (missing)" : "");
            }
            return kExitOk;
          }};
}

}  // namespace facetag::cli

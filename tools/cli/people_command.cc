// facetag people [--json] [--all]: who is in the library, most faces first.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/text.h"

namespace facetag::cli {

Command AddPeopleCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("people", "List people: id, name, face count and a sample photo");
  struct Args {
    bool json = false;
    bool all = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print a JSON array");
  cmd->add_flag("--all", args->all, "Include hidden people");
  args->catalog.Register(*cmd);

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenForReading();
        if (!catalog.ok()) return ReportError(catalog.status());
        auto people = (*catalog)->ListPersons(args->all);
        if (!people.ok()) return ReportError(people.status());
        if (args->json) {
          nlohmann::json out = nlohmann::json::array();
          for (const PersonSummary& p : *people) {
            nlohmann::json sample = nullptr;
            if (p.sample_face_id != 0) {
              sample = {{"face", p.sample_face_id},
                        {"path", p.sample_path},
                        {"box", {p.sample_box.x, p.sample_box.y, p.sample_box.width, p.sample_box.height}}};
            }
            out.push_back(
                {{"id", p.person.id},
                 {"name", p.person.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.person.name)},
                 {"faces", p.face_count},
                 {"photos", p.photo_count},
                 {"hidden", p.person.hidden},
                 {"sample", std::move(sample)}});
          }
          std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
          return kExitOk;
        }
        if (people->empty()) {
          std::printf("nobody yet (index some photos with `facetag index PATH...`)\n");
          return kExitOk;
        }
        std::printf("%6s  %-20s %6s %6s  %s\n", "ID", "NAME", "FACES", "PHOTOS", "SAMPLE");
        for (const PersonSummary& p : *people) {
          // Names and paths come from anyone (a file name, an API client): escaped, so that they
          // cannot drive the terminal.
          const std::string name = p.person.name.empty() ? "-" : TerminalSafe(p.person.name);
          std::printf("%6lld  %-20s %6lld %6lld  %s (face %lld)%s\n", static_cast<long long>(p.person.id),
                      name.c_str(), static_cast<long long>(p.face_count),
                      static_cast<long long>(p.photo_count), TerminalSafe(p.sample_path).c_str(),
                      static_cast<long long>(p.sample_face_id), p.person.hidden ? "  [hidden]" : "");
        }
        return kExitOk;
      }};
}

}  // namespace facetag::cli

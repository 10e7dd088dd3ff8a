// facetag together PERSON: who appears with them, most shared photos first.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddTogetherCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("together", "Who appears in photos with a person, ranked by shared photos");
  struct Args {
    std::string person;
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print a JSON array of {id, name, shared_photos}");
  args->catalog.Register(*cmd);
  cmd->add_option("person", args->person, "Person id or name")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenForReading();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto person = ResolvePerson(**catalog, args->person);
            if (!person.ok()) return ReportError(person.status());
            auto companions = (*catalog)->Together(person->id);
            if (!companions.ok()) return ReportError(companions.status());
            if (args->json) {
              nlohmann::json out = nlohmann::json::array();
              for (const Companion& c : *companions) {
                out.push_back({{"id", c.person.id},
                               {"name", c.person.name.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(c.person.name)},
                               {"shared_photos", c.shared_photos}});
              }
              std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
              return kExitOk;
            }
            for (const Companion& c : *companions) {
              std::printf("%6lld photo%s  %s (id %lld)\n", static_cast<long long>(c.shared_photos),
                          c.shared_photos == 1 ? " " : "s", PersonLabel(c.person).c_str(),
                          static_cast<long long>(c.person.id));
            }
            return kExitOk;
          }};
}

}  // namespace facetag::cli

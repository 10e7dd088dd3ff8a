// facetag name PERSON NAME: give a person a name (an empty name removes it).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/text.h"

namespace facetag::cli {

Command AddNameCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("name", "Name a person (their faces keep the name through re-grouping)");
  struct Args {
    std::string person, name;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("person", args->person, "Person id (or current name)")->required();
  cmd->add_option("name", args->name, "The new name (\"\" to remove it)")->required();

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenExisting();
        if (!catalog.ok()) return ReportError(catalog.status());
        auto person = ResolvePerson(**catalog, args->person);
        if (!person.ok()) return ReportError(person.status());
        if (!args->name.empty()) {
          // Two people of one name are allowed (two friends called Alex), but then the name alone
          // no longer picks one: say so now rather than at the next command.
          auto same = (*catalog)->FindPersonsByName(args->name);
          if (same.ok()) {
            for (const auto& other : *same) {
              if (other.id != person->id) {
                std::fprintf(
                    stderr,
                    "facetag: note: person %lld is named that too; use ids, or `facetag merge %lld %lld`\n",
                    static_cast<long long>(other.id), static_cast<long long>(person->id),
                    static_cast<long long>(other.id));
              }
            }
          }
        }
        if (Status s = (*catalog)->NamePerson(person->id, args->name); !s.ok()) return ReportError(s);
        if (args->name.empty()) {
          std::printf("person %lld has no name now\n", static_cast<long long>(person->id));
        } else {
          std::printf("person %lld is %s\n", static_cast<long long>(person->id),
                      TerminalSafe(args->name).c_str());
        }
        return kExitOk;
      }};
}

}  // namespace facetag::cli

// facetag hide PERSON [--show]: keep someone out of `people` (strangers, posters, statues).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddHideCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("hide", "Hide a person from `people` (--show brings them back)");
  struct Args {
    std::string person;
    bool show = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--show", args->show, "Un-hide instead");
  cmd->add_option("person", args->person, "Person id or name")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto person = ResolvePerson(**catalog, args->person);
            if (!person.ok()) return ReportError(person.status());
            if (Status s = (*catalog)->HidePerson(person->id, !args->show); !s.ok()) return ReportError(s);
            std::printf("%s is %s\n", PersonLabel(*person).c_str(), args->show ? "shown" : "hidden");
            return kExitOk;
          }};
}

}  // namespace facetag::cli

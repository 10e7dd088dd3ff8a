// facetag merge PERSON PERSON...: the same person found twice; the first one stays.
#include <algorithm>
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddMergeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("merge", "Merge people into the first one (it keeps its id and name)");
  struct Args {
    std::vector<std::string> people;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("people", args->people, "Person ids or names; the others join the first")
      ->required()
      ->expected(2, -1);

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenExisting();
        if (!catalog.ok()) return ReportError(catalog.status());
        std::vector<int64_t> ids;
        for (const auto& arg : args->people) {
          auto person = ResolvePerson(**catalog, arg);
          if (!person.ok()) return ReportError(person.status());
          if (std::find(ids.begin(), ids.end(), person->id) != ids.end()) {
            return ReportError(InvalidArgument("person " + std::to_string(person->id) + " is named twice"));
          }
          ids.push_back(person->id);
        }
        if (Status s = (*catalog)->MergePersons(ids); !s.ok()) return ReportError(s);
        auto kept = (*catalog)->GetPerson(ids[0]);
        if (!kept.ok()) return ReportError(kept.status());
        std::printf("merged %s into %s (id %lld)\n",
                    CountOf(static_cast<long long>(ids.size() - 1), "person", "people").c_str(),
                    PersonLabel(*kept).c_str(), static_cast<long long>(ids[0]));
        return kExitOk;
      }};
}

}  // namespace facetag::cli

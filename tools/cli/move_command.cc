// facetag move FACE PERSON: this face is that person (or `new`: someone not yet known).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddMoveCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("move", "Put a face on a person (clustering will not move it again)");
  struct Args {
    std::string face, person;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("face", args->face, "Face id")->required();
  cmd->add_option("person", args->person, "Person id or name, or `new` for a new person")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto face = ResolveFace(**catalog, args->face);
            if (!face.ok()) return ReportError(face.status());
            if (args->person == "new") {
              auto created = (*catalog)->MoveFaceToNewPerson(face->id);
              if (!created.ok()) return ReportError(created.status());
              std::printf("face %lld is now person %lld\n", static_cast<long long>(face->id),
                          static_cast<long long>(*created));
              return kExitOk;
            }
            auto person = ResolvePerson(**catalog, args->person);
            if (!person.ok()) return ReportError(person.status());
            if (Status s = (*catalog)->MoveFace(face->id, person->id); !s.ok()) return ReportError(s);
            std::printf("face %lld is now %s\n", static_cast<long long>(face->id),
                        PersonLabel(*person).c_str());
            return kExitOk;
          }};
}

}  // namespace facetag::cli

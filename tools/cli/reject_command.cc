// facetag reject FACE PERSON: this face is not that person, ever.
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddRejectCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("reject", "Say a face is not a person (it never returns to them)");
  struct Args {
    std::string face, person;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("face", args->face, "Face id")->required();
  cmd->add_option("person", args->person, "Person id or name")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto face = ResolveFace(**catalog, args->face);
            if (!face.ok()) return ReportError(face.status());
            auto person = ResolvePerson(**catalog, args->person);
            if (!person.ok()) return ReportError(person.status());
            if (Status s = (*catalog)->RejectFace(face->id, person->id); !s.ok()) return ReportError(s);
            std::printf("face %lld is not %s\n", static_cast<long long>(face->id),
                        PersonLabel(*person).c_str());
            return kExitOk;
          }};
}

}  // namespace facetag::cli

// facetag move FACE[,FACE...] PERSON: these faces are that person (or `new`: someone not yet
// known). Several faces are one correction: one `facetag undo` takes all of them back.
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

namespace {

int MoveSeveral(Catalog& catalog, const std::string& faces_arg, const std::string& person_arg) {
  auto faces = ResolveFaces(catalog, faces_arg);
  if (!faces.ok()) return ReportError(faces.status());
  int64_t person_id = 0;  // a new person
  if (person_arg != "new") {
    auto person = ResolvePerson(catalog, person_arg);
    if (!person.ok()) return ReportError(person.status());
    person_id = person->id;
  }
  auto to = catalog.CorrectFaces({FaceBatch::Action::kMove, *faces, person_id});
  if (!to.ok()) return ReportError(to.status());
  auto person = catalog.GetPerson(*to);
  if (!person.ok()) return ReportError(person.status());
  std::printf("%zu faces are now %s\n", faces->size(), PersonLabel(*person).c_str());
  return kExitOk;
}

}  // namespace

Command AddMoveCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("move", "Put a face on a person (grouping will not move it again)");
  struct Args {
    std::string face, person;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("face", args->face, "Face id, or several: 12,13,20")->required();
  cmd->add_option("person", args->person, "Person id or name, or `new` for a new person")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            if (NamesSeveralFaces(args->face)) return MoveSeveral(**catalog, args->face, args->person);
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

// facetag reject FACE[,FACE...] PERSON: these faces are not that person, ever (several: one
// correction, one undo).
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
  cmd->add_option("face", args->face, "Face id, or several: 12,13,20")->required();
  cmd->add_option("person", args->person, "Person id or name")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            if (NamesSeveralFaces(args->face)) {
              auto faces = ResolveFaces(**catalog, args->face);
              if (!faces.ok()) return ReportError(faces.status());
              auto person = ResolvePerson(**catalog, args->person);
              if (!person.ok()) return ReportError(person.status());
              auto done = (*catalog)->CorrectFaces({FaceBatch::Action::kReject, *faces, person->id});
              if (!done.ok()) return ReportError(done.status());
              std::printf("%zu faces are not %s\n", faces->size(), PersonLabel(*person).c_str());
              return kExitOk;
            }
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

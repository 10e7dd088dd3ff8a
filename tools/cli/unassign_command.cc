// facetag unassign FACE[,FACE...]: these faces are nobody (and grouping leaves them so; several:
// one correction, one undo).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddUnassignCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("unassign", "Take a face off its person; grouping leaves it unassigned");
  struct Args {
    std::string face;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("face", args->face, "Face id, or several: 12,13,20")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            if (NamesSeveralFaces(args->face)) {
              auto faces = ResolveFaces(**catalog, args->face);
              if (!faces.ok()) return ReportError(faces.status());
              auto done = (*catalog)->CorrectFaces({FaceBatch::Action::kUnassign, *faces, 0});
              if (!done.ok()) return ReportError(done.status());
              std::printf("%zu faces belong to nobody\n", faces->size());
              return kExitOk;
            }
            auto face = ResolveFace(**catalog, args->face);
            if (!face.ok()) return ReportError(face.status());
            if (Status s = (*catalog)->UnassignFace(face->id); !s.ok()) return ReportError(s);
            std::printf("face %lld belongs to nobody\n", static_cast<long long>(face->id));
            return kExitOk;
          }};
}

}  // namespace facetag::cli

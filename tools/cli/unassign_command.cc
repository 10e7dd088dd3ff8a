// facetag unassign FACE: this face is nobody (and clustering leaves it so).
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddUnassignCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("unassign", "Take a face off its person; clustering leaves it unassigned");
  struct Args {
    std::string face;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_option("face", args->face, "Face id")->required();

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto face = ResolveFace(**catalog, args->face);
            if (!face.ok()) return ReportError(face.status());
            if (Status s = (*catalog)->UnassignFace(face->id); !s.ok()) return ReportError(s);
            std::printf("face %lld belongs to nobody\n", static_cast<long long>(face->id));
            return kExitOk;
          }};
}

}  // namespace facetag::cli

// facetag faces add PHOTO --box x,y,w,h: describes the box like a detected face (the engine's
// landmarks, alignment and descriptor; facetag/engine.h DescribeBox) and stores it in the
// catalog as a face drawn by the user (Catalog::AddDrawnFace): nobody's until named or grouped,
// kept through re-indexing, undone by `facetag undo`.
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "catalog_flags.h"
#include "commands.h"
#include "engine_flags.h"
#include "faces_add.h"
#include "facetag/purge.h"

namespace facetag::cli {
namespace {

// "x,y,w,h" in pixels; nullopt unless exactly four numbers.
std::optional<Box> ParseBox(const std::string& text) {
  std::stringstream in(text);
  float v[4];
  char comma = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0 && !(in >> comma && comma == ',')) return std::nullopt;
    if (!(in >> v[i])) return std::nullopt;
  }
  if (!(in >> std::ws).eof()) return std::nullopt;
  return Box{v[0], v[1], v[2], v[3]};
}

}  // namespace

std::function<int()> AddFacesAddSubcommand(CLI::App& faces) {
  auto* cmd = faces.add_subcommand("add", "Add a face the detector missed: PHOTO --box x,y,w,h (pixels)");
  struct Args {
    std::string photo;
    std::string box;
    CatalogFlags catalog;
    EngineFlags engine;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  args->engine.Register(*cmd);
  cmd->add_option("photo", args->photo, "A catalogued photo: its path or id")->required();
  cmd->add_option("--box", args->box, "The face's box: x,y,width,height in the photo's pixels")->required();

  return [cmd, args]() -> int {
    if (!cmd->parsed()) return kExitUsage;
    const auto box = ParseBox(args->box);
    if (!box) return ReportError(InvalidArgument("--box must be x,y,width,height (four numbers)"));
    auto catalog = args->catalog.OpenExisting();
    if (!catalog.ok()) return ReportError(catalog.status());
    auto id = ResolvePhoto(**catalog, args->photo);
    if (!id.ok()) return ReportError(id.status());
    auto photo = (*catalog)->GetPhoto(*id);
    if (!photo.ok()) return ReportError(photo.status());
    if (photo->status != PhotoStatus::kOk)
      return ReportError(
          InvalidArgument("photo " + std::to_string(*id) + " is " + PhotoStatusName(photo->status)));
    // Decoded as the indexer decodes, so that the descriptor matches the detected faces'.
    const PhotoPipelineOptions options = args->engine.ToOptions();
    auto decoded = DecodeImageFile(photo->path, options.decode);
    if (!decoded.ok()) return ReportError(decoded.status());
    auto engine = FaceEngine::Open(options.engine);
    if (!engine.ok()) return ReportError(engine.status());
    auto face = DescribeBox(**engine, *decoded, *box);
    if (!face.ok()) return ReportError(face.status());
    auto face_id = (*catalog)->AddDrawnFace(*id, *face);
    if (!face_id.ok()) return ReportError(face_id.status());
    std::printf("face %lld added to photo %lld (facetag name or move it; facetag undo takes it back)\n",
                static_cast<long long>(*face_id), static_cast<long long>(*id));
    return kExitOk;
  };
}

}  // namespace facetag::cli

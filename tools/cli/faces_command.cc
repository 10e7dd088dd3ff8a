// facetag faces [--json] IMAGE...: every face in each image, one line per image.
#include <cstdio>
#include <iostream>
#include <string>

#include "commands.h"
#include "engine_flags.h"
#include "face_json.h"
#include "faces_add.h"

namespace facetag::cli {
namespace {

void PrintHuman(const PhotoFaces& photo) {
  if (!photo.status.ok()) {
    // Most errors name the file already (the library's messages must stand alone in logs).
    const std::string error = photo.status.ToString();
    if (error.find(photo.file) != std::string::npos)
      std::printf("error: %s\n", error.c_str());
    else
      std::printf("%s: error: %s\n", photo.file.c_str(), error.c_str());
    return;
  }
  std::printf("%s: %dx%d, %zu face%s\n", photo.file.c_str(), photo.width, photo.height, photo.faces.size(),
              photo.faces.size() == 1 ? "" : "s");
  for (const Face& f : photo.faces) {
    std::printf("  face at %.0f,%.0f size %.0fx%.0f  score %.3f\n", f.box.x, f.box.y, f.box.width,
                f.box.height, f.score);
  }
}

}  // namespace

Command AddFacesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("faces", "Find faces: box, score, 68 landmarks and a 128-D descriptor each");
  struct Args {
    bool json = false;
    std::vector<std::string> files;
    EngineFlags engine;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "One JSON object per image and line");
  args->engine.Register(*cmd);
  cmd->add_option("images", args->files, "Image files (JPEG, PNG, WebP, HEIC)");
  auto run_add = AddFacesAddSubcommand(*cmd);

  return {cmd, [args, cmd, run_add] {
            if (!cmd->get_subcommands().empty()) return run_add();
            if (args->files.empty()) {
              std::fprintf(stderr,
                           "facetag faces: give one or more images (or: faces add PHOTO --box x,y,w,h)\n");
              return kExitUsage;
            }
            auto analyzer = PhotoAnalyzer::Open(args->engine.ToOptions());
            if (!analyzer.ok()) {
              std::fprintf(stderr, "facetag: cannot start the face engine: %s\n",
                           analyzer.status().ToString().c_str());
              return kExitSomeFailed;
            }
            bool any_failed = false;
            (*analyzer)->Run(args->files, [&](PhotoFaces&& photo) {
              any_failed |= !photo.status.ok();
              if (args->json) {
                std::cout << PhotoToJson(photo).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                          << '\n'
                          << std::flush;
              } else {
                PrintHuman(photo);
              }
            });
            return any_failed ? kExitSomeFailed : kExitOk;
          }};
}

}  // namespace facetag::cli

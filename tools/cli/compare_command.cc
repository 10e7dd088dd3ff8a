// facetag compare A B: are the largest faces of two photos the same person?
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "engine_flags.h"
#include "facetag/known_faces.h"

namespace facetag::cli {

Command AddCompareCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("compare", "Distance between the largest faces of two photos, and the verdict");
  struct Args {
    std::string a, b;
    bool json = false;
    float max_distance = kMatchDistance;
    EngineFlags engine;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_option("--max-distance", args->max_distance, "Farthest two faces of one person may be")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  args->engine.Register(*cmd);
  cmd->add_option("first", args->a, "First photo")->required();
  cmd->add_option("second", args->b, "Second photo")->required();

  return {
      cmd, [args] {
        PhotoPipelineOptions options = args->engine.ToOptions();
        options.engine.fit_detector_to_image = true;  // as /verify detects
        auto engine = FaceEngine::Open(options.engine);
        if (!engine.ok()) {
          std::fprintf(stderr, "facetag: cannot start the face engine: %s\n",
                       engine.status().ToString().c_str());
          return kExitSomeFailed;
        }
        const Face* largest[2] = {nullptr, nullptr};
        std::vector<Face> faces[2];
        const std::string files[2] = {args->a, args->b};
        for (int i = 0; i < 2; ++i) {
          auto decoded = DecodeImageFile(files[i], options.decode);
          Result<std::vector<Face>> found =
              decoded.ok() ? AnalyzeDecoded(**engine, *decoded) : Result<std::vector<Face>>(decoded.status());
          if (!found.ok()) {
            std::fprintf(stderr, "facetag: %s: %s\n", files[i].c_str(), found.status().ToString().c_str());
            return kExitSomeFailed;
          }
          faces[i] = std::move(*found);
          for (const Face& f : faces[i]) {
            if (!largest[i] || f.box.area() > largest[i]->box.area()) largest[i] = &f;
          }
          if (!largest[i]) {
            std::fprintf(stderr, "facetag: %s: no face found\n", files[i].c_str());
            return kExitSomeFailed;
          }
        }
        const float distance = EmbeddingDistance(largest[0]->embedding, largest[1]->embedding);
        const float threshold = args->max_distance;
        const bool same = distance <= threshold;
        if (args->json) {
          std::cout << nlohmann::json{{"distance", distance}, {"threshold", threshold}, {"same_person", same}}
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                    << '\n';
        } else {
          std::printf("distance %.4f: %s (threshold %.2f)\n", distance,
                      same ? "same person" : "different people", threshold);
        }
        return kExitOk;
      }};
}

}  // namespace facetag::cli

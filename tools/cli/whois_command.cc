// facetag whois IMAGE: names the faces of a photo from the people in the catalog, without
// adding the photo to it.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "engine_flags.h"
#include "facetag/people.h"

namespace facetag::cli {

Command AddWhoisCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("whois", "Name the faces in a photo (the photo is not added to the catalog)");
  struct Args {
    std::string image;
    bool json = false;
    bool unnamed = false;
    float max_distance = IdentifyOptions{}.max_distance;
    CatalogFlags catalog;
    EngineFlags engine;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag(
      "--json", args->json,
      "Print {file, faces:[{box, person, name, distance, face}]} (face: the matched catalog face's id)");
  cmd->add_flag("--unnamed", args->unnamed, "Also match people who have no name yet");
  cmd->add_option("--max-distance", args->max_distance, "Farthest a face may be from a person's nearest face")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  args->catalog.Register(*cmd);
  args->engine.Register(*cmd);
  cmd->add_option("image", args->image, "Photo (JPEG, PNG, WebP, HEIC)")->required();

  return {
      cmd, [args] {
        auto catalog = args->catalog.OpenForReading();
        if (!catalog.ok()) return ReportError(catalog.status());
        PhotoPipelineOptions options = args->engine.ToOptions();
        // A photo to recognise, often one face crop: detected as /recognize detects it, so that
        // both name the same faces.
        options.engine.fit_detector_to_image = true;
        auto engine = FaceEngine::Open(options.engine);
        if (!engine.ok())
          return ReportError(
              Status(engine.status().code(), "cannot start the face engine: " + engine.status().message()));
        auto decoded = DecodeImageFile(args->image, options.decode);
        if (!decoded.ok()) return ReportError(Status(ErrorCode::kIoError, decoded.status().ToString()));
        auto faces = AnalyzeDecoded(**engine, *decoded);
        if (!faces.ok())
          return ReportError(Status(ErrorCode::kInternal, args->image + ": " + faces.status().ToString()));

        std::vector<Embedding> embeddings;
        for (const Face& f : *faces) embeddings.push_back(f.embedding);
        IdentifyOptions identify;
        identify.max_distance = args->max_distance;
        identify.named_only = !args->unnamed;
        auto who = IdentifyFaces(**catalog, embeddings, identify);
        if (!who.ok()) return ReportError(who.status());

        nlohmann::json out_faces = nlohmann::json::array();
        if (!args->json)
          std::printf("%s: %zu face%s\n", args->image.c_str(), faces->size(), faces->size() == 1 ? "" : "s");
        for (size_t i = 0; i < faces->size(); ++i) {
          const Box& b = (*faces)[i].box;
          const Identification& id = (*who)[i];
          std::optional<PersonRecord> person;
          if (id.person_id != 0) {
            auto p = (*catalog)->GetPerson(id.person_id);
            if (!p.ok()) return ReportError(p.status());
            person = *p;
          }
          if (args->json) {
            out_faces.push_back(
                {{"box", {b.x, b.y, b.width, b.height}},
                 {"person", person ? nlohmann::json(person->id) : nlohmann::json(nullptr)},
                 {"name",
                  person && !person->name.empty() ? nlohmann::json(person->name) : nlohmann::json(nullptr)},
                 {"distance", person ? nlohmann::json(id.distance) : nlohmann::json(nullptr)},
                 // The catalogued face it matched, for `move`, `reject` or a look at the photo.
                 {"face", person ? nlohmann::json(id.nearest_face_id) : nlohmann::json(nullptr)}});
          } else if (person) {
            std::printf("  face at %.0f,%.0f size %.0fx%.0f: %s (id %lld, distance %.3f)\n", b.x, b.y,
                        b.width, b.height, PersonLabel(*person).c_str(), static_cast<long long>(person->id),
                        id.distance);
          } else {
            std::printf("  face at %.0f,%.0f size %.0fx%.0f: unknown\n", b.x, b.y, b.width, b.height);
          }
        }
        if (args->json)
          std::cout << nlohmann::json{{"file", args->image}, {"faces", std::move(out_faces)}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace)
                    << '\n';
        return kExitOk;
      }};
}

}  // namespace facetag::cli

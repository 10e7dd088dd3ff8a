// facetag export --json: the whole catalog's photos, faces and people as one JSON document.
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"

namespace facetag::cli {

Command AddExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export photos, faces and people as JSON");
  struct Args {
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  // JSON is the only format for now; the flag is there so that scripts say what they expect.
  cmd->add_flag("--json", args->json, "JSON (the default and only format)");
  args->catalog.Register(*cmd);

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto exported = (*catalog)->Export();
            if (!exported.ok()) return ReportError(exported.status());
            // {"photos":[{"path","faces":[{"id","box":[x,y,w,h],"person":<id or
            // null>}]}],"people":[{"id","name"}]}
            nlohmann::json photos = nlohmann::json::array();
            for (const ExportPhoto& p : exported->photos) {
              nlohmann::json faces = nlohmann::json::array();
              for (const ExportFace& f : p.faces) {
                faces.push_back(
                    {{"id", f.id},
                     {"box", {f.box.x, f.box.y, f.box.width, f.box.height}},
                     {"person", f.person_id ? nlohmann::json(f.person_id) : nlohmann::json(nullptr)}});
              }
              photos.push_back({{"path", p.photo.path}, {"faces", std::move(faces)}});
            }
            nlohmann::json people = nlohmann::json::array();
            for (const PersonRecord& person : exported->people) {
              people.push_back(
                  {{"id", person.id},
                   {"name", person.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(person.name)}});
            }
            std::cout << nlohmann::json{{"photos", std::move(photos)}, {"people", std::move(people)}}.dump(
                             -1, ' ', false, nlohmann::json::error_handler_t::replace)
                      << '\n';
            return kExitOk;
          }};
}

}  // namespace facetag::cli
